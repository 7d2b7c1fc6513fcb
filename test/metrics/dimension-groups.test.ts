// How rows fall into the keys of a dimension (lib/metrics/dimensions.ts), held
// to plain SQL over the stored rows (issue 23, from the survivors of a
// mutation run): the dimensions read through the platform and group
// registers, keys in code order whatever order they were first recorded in,
// and rows without a key (no campaign) in no group, in every figure built on them.
import { describe, expect, it } from 'vitest';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { seedDemo } from '@/lib/demo/seed';
import { getBreakdown, getMonthlyMedians, getVolumes } from '@/lib/metrics';
import { memoryDb, writeTemp, factsOf } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

const filters = parseFilters(new URLSearchParams('as_of=2026-12-01T00:00:00Z'), {}, Date.UTC(2026, 11, 1)).filters;

describe('dimensions read through a register', async () => {
  const db = memoryDb();
  await seedDemo(db, { rows: 400, seed: 11 });
  const sql = (query: string) => (db.db.$client.prepare(query).all() as { key: string; count: number }[]).map((r) => ({ key: r.key, count: r.count }));

  it.each([
    ['platform_type', 'SELECT p.type AS key, COUNT(*) AS count FROM referrals r JOIN platforms p ON p.code = r.platform WHERE r.referred_at <= ? GROUP BY p.type ORDER BY p.type'],
    ['ideology', 'SELECT g.ideology AS key, COUNT(*) AS count FROM referrals r JOIN groups g ON g.code = r.group_code WHERE r.referred_at <= ? GROUP BY g.ideology ORDER BY g.ideology'],
  ] as const)('%s: counts as SQL gives them', async (by, query) => {
    const expected = sql(query.replace('?', String(filters.asOf)));
    expect(expected.length).toBeGreaterThan(2);
    expect(getVolumes(await factsOf(db), filters, by).rows.map(({ key, count }) => ({ key, count }))).toEqual(expected);
    expect(getBreakdown(await factsOf(db), filters, by).rows.map((r) => ({ key: r.key, count: r.total }))).toEqual(expected);
  });
});

describe('keys and rows without one', async () => {
  // Platforms first recorded against their code order (zeta, then alpha, then mid); one referral without a campaign.
  const db = memoryDb();
  await importFile(
    db,
    writeTemp(
      'keys.csv',
      csvOf([
        validRow({ referral_id: 'K-1', platform: 'zeta', campaign: 'c2', referred_at: '2026-02-01T00:00:00Z', outcome: 'removed', outcome_at: '2026-02-01T02:00:00Z' }),
        validRow({ referral_id: 'K-2', platform: 'alpha', campaign: '', referred_at: '2026-02-01T00:00:00Z', outcome: 'removed', outcome_at: '2026-02-01T05:00:00Z' }),
        validRow({ referral_id: 'K-3', platform: 'mid', campaign: 'c1', referred_at: '2026-03-01T00:00:00Z', outcome: 'removed', outcome_at: '2026-03-01T01:00:00Z' }),
        validRow({ referral_id: 'K-4', platform: 'zeta', campaign: 'c1', referred_at: '2026-03-02T00:00:00Z', outcome: 'pending', outcome_at: '' }),
      ]),
    ),
    { now: Date.UTC(2026, 11, 1) },
  );

  it('come in code order, not in the order first recorded', async () => {
    expect(getVolumes(await factsOf(db), filters, 'platform').rows.map((r) => [r.key, r.count])).toEqual([
      ['alpha', 1],
      ['mid', 1],
      ['zeta', 2],
    ]);
  });

  it('a referral without a campaign is in no campaign group: volumes, breakdown, monthly medians', async () => {
    expect(getVolumes(await factsOf(db), filters, 'campaign').rows.map((r) => [r.key, r.count])).toEqual([
      ['c1', 2],
      ['c2', 1],
    ]);
    expect(getBreakdown(await factsOf(db), filters, 'campaign').rows.map((r) => [r.key, r.total, r.actioned])).toEqual([
      ['c1', 2, 1],
      ['c2', 1, 1],
    ]);
    // c1: K-3 (March, removed after 1 h) and K-4 (March, open); c2: K-1 (February, 2 h). K-2's 5 h is nowhere.
    expect(getMonthlyMedians(await factsOf(db), filters, 'campaign').rows.map((r) => [r.key, r.month, r.n, r.km_median])).toEqual([
      ['c1', '2026-03', 2, 1],
      ['c2', '2026-02', 1, 2],
    ]);
  });
});
