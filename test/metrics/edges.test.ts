// Issue 23: figures exactly at their thresholds and at their floors, each
// through both paths of the metrics: a small selection sorts its own times,
// a large one walks the per-version time orders. Expected values are worked
// by hand from METRICS.md, never taken from the code.
import { describe, expect, it } from 'vitest';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getBreakdown, getProviderCompliance, getSummary } from '@/lib/metrics';
import { memoryDb, writeTemp } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

const AS_OF = '2026-03-10T12:00:00Z';
const AS_OF_MS = Date.parse(AS_OF);
const at = (hoursBefore: number) => new Date(AS_OF_MS - hoursBefore * 3_600_000).toISOString().replace('.000', '');

/**
 * The rows on platform `edge`, beside 40 pending referrals on `filler` made at as_of itself (exposure 0: never
 * eligible, censored at 0). A summary of `edge` alone is a small selection (1 row of 41: under 1/16), one of
 * everything a large one, and a breakdown by platform walks the orders for all groups at once; the edge row's
 * figures must be the same in all three.
 */
function both(rows: Record<string, string>[]) {
  const filler = Array.from({ length: 40 }, (_, k) => validRow({ referral_id: `F-${k}`, platform: 'filler', referred_at: AS_OF, outcome: 'pending', outcome_at: '' }));
  const db = memoryDb();
  const result = importFile(db, writeTemp('edges.csv', csvOf([...rows.map((r) => ({ ...r, platform: 'edge' })), ...filler])), { now: AS_OF_MS + 60_000 });
  if (result.status !== 'committed') throw new Error(result.message ?? 'not imported');
  const filters = (query: string) => parseFilters(new URLSearchParams(`as_of=${AS_OF}${query}`), {}, AS_OF_MS).filters;
  // The breakdown walks the orders for every group at once: its `edge` row is the third path.
  const grouped = getBreakdown(db, filters(''), 'platform').rows.find((r) => r.key === 'edge')!;
  return { small: getSummary(db, filters('&platform=edge')), large: getSummary(db, filters('')), grouped };
}
const compliance = (s: Pick<ReturnType<typeof getSummary>, 'compliance'>) => Object.fromEntries(s.compliance.map((c) => [c.hours, [c.on_time, c.eligible]]));

describe('exactly at a deadline', () => {
  it('an open item exposed exactly 24 h is eligible at 24 h (and late), not at 7 days; in both paths', () => {
    const { small, large, grouped } = both([validRow({ referral_id: 'E-1', referred_at: at(24), outcome: 'pending', outcome_at: '' })]);
    for (const s of [small, large, grouped]) expect(compliance(s)).toEqual({ 1: [0, 1], 24: [0, 1], 168: [0, 0] });
  });

  it('a declined item exposed exactly 1 h is eligible at 1 h; in both paths', () => {
    const { small, large, grouped } = both([validRow({ referral_id: 'E-1', referred_at: at(1), outcome: 'rejected', outcome_at: at(0.5) })]);
    for (const s of [small, large, grouped]) expect(compliance(s)[1]).toEqual([0, 1]);
  });

  it('a removal exactly 1 h after the clock start is on time at 1 h; in both paths', () => {
    const { small, large, grouped } = both([validRow({ referral_id: 'E-1', referred_at: at(5), outcome: 'removed', outcome_at: at(4) })]);
    for (const s of [small, large, grouped]) expect(compliance(s)).toEqual({ 1: [1, 1], 24: [1, 1], 168: [1, 1] });
  });
});

describe('an outcome exactly at as_of', () => {
  it('is known: the item is actioned, an event of Kaplan–Meier at its response time; in both paths', () => {
    const { small, large, grouped } = both([validRow({ referral_id: 'E-1', referred_at: at(3), outcome: 'removed', outcome_at: AS_OF })]);
    for (const s of [small, large, grouped]) {
      expect(s.actioned).toBe(1);
      expect(s.km.find((r) => r.n_event > 0)?.time).toBe(3);
      expect(s.among_removed.median).toBe(3);
    }
    expect(small.open).toBe(0);
    expect(large.open).toBe(40);
  });

  it('an unavailable outcome exactly at as_of excludes the item; in both paths', () => {
    const { small, large, grouped } = both([validRow({ referral_id: 'E-1', referred_at: at(3), outcome: 'unavailable', outcome_at: AS_OF })]);
    for (const s of [small, large, grouped]) expect(s.excluded).toBe(1);
  });
});

describe('floors: a clock pause longer than the time elapsed', () => {
  it('gives an open order an exposure of 0 h, never below, in both paths', () => {
    // E-1: referred 2 h before as_of, paused 10 h: 2 − 10 would be −8 h. E-2: removed with its response floored to
    // 0 h too, so that Kaplan–Meier has an event at 0 h: E-1 (censored at 0 h, after the event) is still at risk
    // there, with the 40 fillers (censored at 0 h) in the large selection; censored at −8 h it would have left.
    const { small, large, grouped } = both([
      validRow({ referral_id: 'E-1', kind: 'removal_order', referred_at: at(2), outcome: 'pending', outcome_at: '', clock_paused_hours: '10' }),
      validRow({ referral_id: 'E-2', kind: 'removal_order', referred_at: at(5), outcome: 'removed', outcome_at: at(4), clock_paused_hours: '3' }),
    ]);
    expect(small.max_follow_up).toBe(0);
    expect(small.km[0]).toMatchObject({ time: 0, n_risk: 2, n_event: 1, n_censor: 1 });
    expect(grouped.km[0]).toMatchObject({ time: 0, n_risk: 2, n_event: 1, n_censor: 1 });
    expect(large.km[0]).toMatchObject({ time: 0, n_risk: 42, n_event: 1, n_censor: 41 });
    for (const s of [small, large, grouped]) expect(compliance(s)[1]).toEqual([1, 1]);
  });

  it('gives a removed order a response time of 0 h: on time, and the first Kaplan–Meier row at 0 h; in both paths', () => {
    // Referred 5 h before as_of, removed 1 h later, paused 3 h: 1 − 3 would be −2 h.
    const { small, large, grouped } = both([validRow({ referral_id: 'E-1', kind: 'removal_order', referred_at: at(5), outcome: 'removed', outcome_at: at(4), clock_paused_hours: '3' })]);
    for (const s of [small, large, grouped]) {
      expect(compliance(s)[1]).toEqual([1, 1]);
      expect(s.km[0]).toMatchObject({ time: 0, n_event: 1 });
      expect(s.among_removed).toMatchObject({ median: 0, mean: 0 });
    }
  });
});

describe('persistent failure exactly at the target', () => {
  function month(onTime: number) {
    // Ten removal orders to one provider in each of three months; `onTime` of each ten removed within 1 h, the rest after 2 h.
    const rows = ['2025-10', '2025-11', '2025-12'].flatMap((m) =>
      Array.from({ length: 10 }, (_, k) => {
        const start = `${m}-0${1 + (k % 9)}T08:00:00Z`;
        const done = new Date(Date.parse(start) + (k < onTime ? 30 : 120) * 60_000).toISOString().replace('.000', '');
        return validRow({ referral_id: `P-${m}-${k}`, kind: 'removal_order', platform: 'agora', referred_at: start, outcome: 'removed', outcome_at: done });
      }),
    );
    const db = memoryDb();
    importFile(db, writeTemp('months.csv', csvOf(rows)));
    return getProviderCompliance(db, parseFilters(new URLSearchParams('as_of=2026-01-15T00:00:00Z')).filters, { target: 0.9, months: 3, minOrders: 5, hours: 1 });
  }

  it('9 of 10 in every month (90%, the target) is not below it: not flagged', () => {
    const result = month(9);
    expect(result.providers[0].months.map((m) => [m.on_time, m.eligible, m.below_target])).toEqual([
      [9, 10, false],
      [9, 10, false],
      [9, 10, false],
    ]);
    expect(result.flagged).toEqual([]);
  });

  it('8 of 10 in every month is below: flagged, with the three months', () => {
    expect(month(8).flagged).toEqual([{ key: 'agora', name: 'agora', triggering_months: ['2025-10', '2025-11', '2025-12'] }]);
  });
});
