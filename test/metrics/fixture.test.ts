// METRICS.md "Worked check": the shared fixture's independently computed
// figures, reproduced by lib/metrics (rates and intervals to 1e-9, times to 1e-6 h).
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getBreakdown, getSummary, getVolumes } from '@/lib/metrics';
import { getOldestOpenReferrals } from '@/lib/referrals';
import { FIXTURE_CSV, FIXTURE_EXPECTED, memoryDb } from '../helpers/db';
import { expectFigures } from '../helpers/figures';
import { AccessDenied } from '@/lib/auth/roles';
import { principalOf } from '../helpers/principals';

const expected = JSON.parse(fs.readFileSync(FIXTURE_EXPECTED, 'utf8'));
const filters = parseFilters(new URLSearchParams({ as_of: expected.as_of })).filters;
let db: Db;

beforeAll(() => {
  db = memoryDb();
  importFile(db, FIXTURE_CSV);
});

describe('the fixture through lib/metrics', () => {
  it('summary', () => {
    expectFigures(getSummary(db, filters), expected.summary, 'summary');
  });

  it.each(['platform', 'kind', 'group'] as const)('breakdown by %s', (by) => {
    const result = getBreakdown(db, filters, by);
    expect(result.rows.map((r) => r.key)).toEqual(expected.breakdown[by].map((r: { key: string }) => r.key));
    result.rows.forEach((row, i) => expectFigures(row, expected.breakdown[by][i], `${by}=${row.key}`));
  });

  it.each(Object.keys(expected.volumes))('volumes by %s', (by) => {
    const result = getVolumes(db, filters, by as never);
    expect(result.rows.map(({ key, count }) => ({ key, count }))).toEqual(expected.volumes[by]);
  });
});

describe('the oldest open items', () => {
  it('lists the referrals open at as_of by exposure, with the records and their exposure in hours', () => {
    const at = (asOf: string, more = '') => parseFilters(new URLSearchParams(`as_of=${asOf}&platform=beta${more}`)).filters;
    // Open on beta at 1 March 00:00: FX-012 (referred 5 Feb 00:00: 24 days = 576 h), FX-014 (15 Feb: 14 days = 336 h,
    // removed only on 5 March), FX-017 (an order: the clock starts at receipt, 28 Feb 23:45, so 0.25 h).
    const open = getOldestOpenReferrals(db, principalOf('analyst'), at('2026-03-01T00:00:00Z'), { limit: 20 });
    expect(open.total).toBe(3);
    expect(open.rows.map((r) => [r.referral_id, r.exposure_hours])).toEqual([
      ['FX-012', 576],
      ['FX-014', 336],
      ['FX-017', 0.25],
    ]);
    // As known at as_of: FX-014's later removal does not show.
    expect(open.rows[1]).toMatchObject({ outcome: 'pending', outcome_at: null });
    // The items are records: a viewer is refused where they are read, whoever calls.
    expect(() => getOldestOpenReferrals(db, principalOf('viewer'), at('2026-03-01T00:00:00Z'), { limit: 20 })).toThrow(AccessDenied);
    expect(() => getOldestOpenReferrals(db, null, at('2026-03-01T00:00:00Z'), { limit: 20 })).toThrow(AccessDenied);
    // A limit keeps the longest exposed; the count stays the count of all open items.
    const two = getOldestOpenReferrals(db, principalOf('analyst'), at('2026-03-01T00:00:00Z'), { limit: 2 });
    expect([two.total, two.rows.map((r) => r.referral_id)]).toEqual([3, ['FX-012', 'FX-014']]);
    expect(two.rows[0].url).toBe('https://beta.example/item/FX-012');
    // After FX-014's removal (5 March) it is no longer open.
    const later = getOldestOpenReferrals(db, principalOf('steward'), at('2026-03-06T00:00:00Z'), { limit: 20 });
    expect(later.rows.map((r) => r.referral_id)).not.toContain('FX-014');
  });
});
