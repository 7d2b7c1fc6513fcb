// METRICS.md "Worked check": the shared fixture's independently computed
// figures, reproduced by lib/metrics (rates and intervals to 1e-9, times to 1e-6 h).
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@/db/store';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getBreakdown, getMonthlyMedians, getSummary, getVolumes } from '@/lib/metrics';
import { getOldestOpenReferrals } from '@/lib/referrals';
import { FIXTURE_CSV, FIXTURE_EXPECTED, writeTemp, factsOf } from '../helpers/db';
import { expectFigures } from '../helpers/figures';
import { AccessDenied } from '@/lib/auth/roles';
import { principalOf } from '../helpers/principals';
import { describeEachEngine } from '../helpers/engines';

describeEachEngine('the fixture', ({ fresh }) => {
  const expected = JSON.parse(fs.readFileSync(FIXTURE_EXPECTED, 'utf8'));
  const filters = parseFilters(new URLSearchParams({ as_of: expected.as_of })).filters;
  let db: Store;

  beforeAll(async () => {
    db = await fresh();
    await importFile(db, FIXTURE_CSV);
  });

  describe('the fixture through lib/metrics', () => {
    it('summary', async () => {
      expectFigures(getSummary(await factsOf(db), filters), expected.summary, 'summary');
    });

    it.each(['platform', 'kind', 'group'] as const)('breakdown by %s', async (by) => {
      const result = getBreakdown(await factsOf(db), filters, by);
      expect(result.rows.map((r) => r.key)).toEqual(expected.breakdown[by].map((r: { key: string }) => r.key));
      result.rows.forEach((row, i) => expectFigures(row, expected.breakdown[by][i], `${by}=${row.key}`));
    });

    // Every referral of the fixture lies in February 2026: each key's one month is its whole breakdown row.
    it.each(['platform', 'kind', 'group'] as const)('monthly medians by %s: February is the breakdown row', async (by) => {
      const result = getMonthlyMedians(await factsOf(db), filters, by);
      const rows: { key: string; n: number; km_median?: number | null; max_follow_up?: number }[] = expected.breakdown[by];
      expect(result.rows.map((r) => [r.month, r.key])).toEqual(rows.map((r) => ['2026-02', r.key]));
      // The fixture leaves out the survival figures of its smallest groups: those are held only by n.
      result.rows.forEach((row, i) => {
        const { key, n, km_median, max_follow_up } = rows[i];
        expect(row, key).toMatchObject(max_follow_up === undefined ? { n } : { n, km_median, max_follow_up });
      });
    });

    it.each(Object.keys(expected.volumes))('volumes by %s', async (by) => {
      const result = getVolumes(await factsOf(db), filters, by as never);
      expect(result.rows.map(({ key, count }) => ({ key, count }))).toEqual(expected.volumes[by]);
    });
  });

  describe('the oldest open items', () => {
    it('lists the referrals open at as_of by exposure, with the records and their exposure in hours', async () => {
      const at = (asOf: string, more = '') => parseFilters(new URLSearchParams(`as_of=${asOf}&platform=beta${more}`)).filters;
      // Open on beta at 1 March 00:00: FX-012 (referred 5 Feb 00:00: 24 days = 576 h), FX-014 (15 Feb: 14 days = 336 h,
      // removed only on 5 March), FX-017 (an order: the clock starts at receipt, 28 Feb 23:45, so 0.25 h).
      const open = await getOldestOpenReferrals({ store: db, data: await factsOf(db) }, principalOf('analyst'), at('2026-03-01T00:00:00Z'), { limit: 20 });
      expect(open.total).toBe(3);
      expect(open.rows.map((r) => [r.referral_id, r.exposure_hours])).toEqual([
        ['FX-012', 576],
        ['FX-014', 336],
        ['FX-017', 0.25],
      ]);
      // As known at as_of: FX-014's later removal does not show.
      expect(open.rows[1]).toMatchObject({ outcome: 'pending', outcome_at: null });
      // The items are records: a viewer is refused where they are read, whoever calls.
      await expect(getOldestOpenReferrals({ store: db, data: await factsOf(db) }, principalOf('viewer'), at('2026-03-01T00:00:00Z'), { limit: 20 })).rejects.toThrow(AccessDenied);
      await expect(getOldestOpenReferrals({ store: db, data: await factsOf(db) }, null, at('2026-03-01T00:00:00Z'), { limit: 20 })).rejects.toThrow(AccessDenied);
      // A limit keeps the longest exposed; the count stays the count of all open items.
      const two = await getOldestOpenReferrals({ store: db, data: await factsOf(db) }, principalOf('analyst'), at('2026-03-01T00:00:00Z'), { limit: 2 });
      expect([two.total, two.rows.map((r) => r.referral_id)]).toEqual([3, ['FX-012', 'FX-014']]);
      expect(two.rows[0].url).toBe('https://beta.example/item/FX-012');
      // After FX-014's removal (5 March) it is no longer open.
      const later = await getOldestOpenReferrals({ store: db, data: await factsOf(db) }, principalOf('steward'), at('2026-03-06T00:00:00Z'), { limit: 20 });
      expect(later.rows.map((r) => r.referral_id)).not.toContain('FX-014');
    });
  });

  describe('the fixture with two rows whose receipt or outcome lies after as_of (issue 15)', () => {
    // FX-101: a removal order to beta referred 28 Feb 22:00, acknowledged 1 Mar 00:10 and executed 1 Mar 01:00, all
    // but its referral after as_of (1 Mar 00:00). FX-102: a referral to gamma of 27 Feb 00:00, found unavailable on
    // 2 Mar, after as_of. Known at as_of, both were simply online.
    const extra = [
      'FX-101,removal_order,eu-iru,,beta,daesh,ar,video,https://beta.example/item/FX-101,,2026-02-28T22:00:00Z,2026-03-01T00:10:00Z,removed,2026-03-01T01:00:00Z,,,,,',
      'FX-102,referral,eu-iru,,gamma,daesh,ar,video,https://gamma.example/item/FX-102,,2026-02-27T00:00:00Z,,unavailable,2026-03-02T00:00:00Z,,,,,',
    ];
    let more: Store;
    beforeAll(async () => {
      more = await fresh();
      await importFile(more, FIXTURE_CSV);
      const csv = `${fs.readFileSync(FIXTURE_CSV, 'utf8').split(/\r?\n/)[0]}\n${extra.join('\n')}\n`;
      expect((await importFile(more, writeTemp('fixture-issue-15.csv', csv))).status).toBe('committed');
    });

    it('counts both as open at as_of, with exposures from their referral (2 h and 48 h)', async () => {
      const s = getSummary(await factsOf(more), filters);
      // The fixture's 24 referrals (14 actioned, 2 declined, 7 open, 1 excluded) and two more open ones.
      expect([s.total, s.actioned, s.declined, s.open, s.excluded, s.n]).toEqual([26, 14, 2, 9, 1, 25]);
      expect(s.removal_rate).toBeCloseTo(14 / 25, 12);
      // At 1 h both are eligible (exposures 2 h and 48 h ≥ 1 h) and late: 5 of 21 becomes 5 of 23. At 24 h only FX-102
      // (48 h): 12 of 22. At 7 days neither: 14 of 18 as before.
      expect(s.compliance.map((c) => [c.hours, c.on_time, c.eligible])).toEqual([
        [1, 5, 23],
        [24, 12, 22],
        [168, 14, 18],
      ]);
      // FX-101's receipt is not known at as_of: the time to acknowledge is still over the fixture's 6 receipts.
      expect(s.time_to_acknowledge.n).toBe(6);
    });

    it('counts them as they are once known: FX-101 executed 50 min after its receipt, FX-102 excluded', async () => {
      const later = parseFilters(new URLSearchParams({ as_of: '2026-03-02T01:00:00Z', platform: 'beta', kind: 'removal_order' })).filters;
      const orders = getSummary(await factsOf(more), later);
      const base = getSummary(await factsOf(db), later);
      expect(orders.actioned - base.actioned).toBe(1);
      expect(orders.compliance[0].on_time - base.compliance[0].on_time).toBe(1);
      expect(orders.time_to_acknowledge.n - base.time_to_acknowledge.n).toBe(1);
      const gamma = async (d: Store) => getSummary(await factsOf(d), parseFilters(new URLSearchParams({ as_of: '2026-03-02T01:00:00Z', platform: 'gamma' })).filters).excluded;
      expect(await gamma(more) - await gamma(db)).toBe(1);
    });
  });
});
