// Issue 23: figures exactly at their thresholds and at their floors, each
// through both paths of the metrics: a small selection sorts its own times,
// a large one walks the per-version time orders. Expected values are worked
// by hand from METRICS.md, never taken from the code.
import { describe, expect, it } from 'vitest';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getBreakdown, getOrderOversight, getProviderCompliance, getSummary, getViewsBeforeAction } from '@/lib/metrics';
import { getOldestOpenReferrals } from '@/lib/referrals';
import { principalOf } from '../helpers/principals';
import { memoryDb, writeTemp, factsOf } from '../helpers/db';
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
async function both(rows: Record<string, string>[]) {
  const filler = Array.from({ length: 40 }, (_, k) => validRow({ referral_id: `F-${k}`, platform: 'filler', referred_at: AS_OF, outcome: 'pending', outcome_at: '' }));
  const db = memoryDb();
  const result = await importFile(db, writeTemp('edges.csv', csvOf([...rows.map((r) => ({ ...r, platform: 'edge' })), ...filler])), { now: AS_OF_MS + 60_000 });
  if (result.status !== 'committed') throw new Error(result.message ?? 'not imported');
  const filters = (query: string) => parseFilters(new URLSearchParams(`as_of=${AS_OF}${query}`), {}, AS_OF_MS).filters;
  // The breakdown walks the orders for every group at once: its `edge` row is the third path.
  const grouped = getBreakdown(await factsOf(db), filters(''), 'platform').rows.find((r) => r.key === 'edge')!;
  return { small: getSummary(await factsOf(db), filters('&platform=edge')), large: getSummary(await factsOf(db), filters('')), grouped };
}
const compliance = (s: Pick<ReturnType<typeof getSummary>, 'compliance'>) => Object.fromEntries(s.compliance.map((c) => [c.hours, [c.on_time, c.eligible]]));

describe('exactly at a deadline', () => {
  it('an open item exposed exactly 24 h is eligible at 24 h (and late), not at 7 days; in both paths', async () => {
    const { small, large, grouped } = await both([validRow({ referral_id: 'E-1', referred_at: at(24), outcome: 'pending', outcome_at: '' })]);
    for (const s of [small, large, grouped]) expect(compliance(s)).toEqual({ 1: [0, 1], 24: [0, 1], 168: [0, 0] });
  });

  it('a declined item exposed exactly 1 h is eligible at 1 h; in both paths', async () => {
    const { small, large, grouped } = await both([validRow({ referral_id: 'E-1', referred_at: at(1), outcome: 'rejected', outcome_at: at(0.5) })]);
    for (const s of [small, large, grouped]) expect(compliance(s)[1]).toEqual([0, 1]);
  });

  it('a removal exactly 1 h after the clock start is on time at 1 h; in both paths', async () => {
    const { small, large, grouped } = await both([validRow({ referral_id: 'E-1', referred_at: at(5), outcome: 'removed', outcome_at: at(4) })]);
    for (const s of [small, large, grouped]) expect(compliance(s)).toEqual({ 1: [1, 1], 24: [1, 1], 168: [1, 1] });
  });
});

describe('an outcome exactly at as_of', () => {
  it('is known: the item is actioned, an event of Kaplan–Meier at its response time; in both paths', async () => {
    const { small, large, grouped } = await both([validRow({ referral_id: 'E-1', referred_at: at(3), outcome: 'removed', outcome_at: AS_OF })]);
    for (const s of [small, large, grouped]) {
      expect(s.actioned).toBe(1);
      expect(s.km.find((r) => r.n_event > 0)?.time).toBe(3);
      expect(s.among_removed.median).toBe(3);
    }
    expect(small.open).toBe(0);
    expect(large.open).toBe(40);
  });

  it('an unavailable outcome exactly at as_of excludes the item; in both paths', async () => {
    const { small, large, grouped } = await both([validRow({ referral_id: 'E-1', referred_at: at(3), outcome: 'unavailable', outcome_at: AS_OF })]);
    for (const s of [small, large, grouped]) {
      expect(s.excluded).toBe(1);
      // Left out of every response figure: eligible for no deadline.
      expect(compliance(s)).toEqual({ 1: [0, 0], 24: [0, 0], 168: [0, 0] });
    }
  });
});

describe('a receipt exactly at as_of', () => {
  it('is known: the clock of an order starts at it, and it counts as acknowledged; in both paths', async () => {
    // O-1 referred 2 h before as_of, received at as_of, pending: exposure 0 h from receipt (not yet eligible at 1 h).
    // O-2 referred 3 h before, received and removed at as_of: response 0 h, on time. Were the receipt unknown,
    // O-1 would be eligible (2 h) and O-2 late (3 h).
    const order = { kind: 'removal_order', received_at: AS_OF };
    const { small, large, grouped } = await both([
      validRow({ ...order, referral_id: 'O-1', referred_at: at(2), outcome: 'pending', outcome_at: '' }),
      validRow({ ...order, referral_id: 'O-2', referred_at: at(3), outcome: 'removed', outcome_at: AS_OF }),
    ]);
    for (const s of [small, large, grouped]) {
      expect(compliance(s)[1]).toEqual([1, 1]);
      // Time to acknowledge: 2 h and 3 h from referral to receipt.
      expect([s.time_to_acknowledge.n, s.time_to_acknowledge.median]).toEqual([2, 2.5]);
    }
  });
});

describe('still online after 7 days', () => {
  it('counts an open item exposed exactly 168 h, not one a second younger; in both paths', async () => {
    const { small, large, grouped } = await both([
      validRow({ referral_id: 'E-1', referred_at: '2026-03-03T12:00:00Z', outcome: 'pending', outcome_at: '' }),
      validRow({ referral_id: 'E-2', referred_at: '2026-03-03T12:00:01Z', outcome: 'pending', outcome_at: '' }),
      // Declined, not open: never counted, however old.
      validRow({ referral_id: 'E-3', referred_at: '2026-02-01T00:00:00Z', outcome: 'rejected', outcome_at: '2026-02-02T00:00:00Z' }),
    ]);
    for (const s of [small, large, grouped]) expect(s.open_over_7_days).toBe(1);
  });
});

describe('removal orders around their deadline, refused and paused (worked by hand)', async () => {
  // Every row a removal order on one platform, received when referred.
  // as_of is 10 March 12:00; the import runs two hours later.
  const order = (id: string, referred: string, outcome: string, outcomeAt: string, more: Record<string, string> = {}) =>
    validRow({ referral_id: id, kind: 'removal_order', platform: 'edge', referred_at: referred, received_at: referred, outcome, outcome_at: outcomeAt, ...more });
  const R = '2026-03-06T08:00:00Z'; // 100 h before as_of
  const rows = [
    order('B-1', R, 'removed', '2026-03-06T09:00:00Z'), // 1 h: within 1 h
    order('B-2', R, 'removed', '2026-03-06T10:00:00Z'), // 2 h: 1 to 2 h
    order('B-3', R, 'removed', '2026-03-07T08:00:00Z'), // 24 h: 2 to 24 h
    order('B-4', R, 'removed', '2026-03-07T08:00:01Z'), // 24 h 1 s: after 24 h
    order('B-5', R, 'removed', '2026-03-06T20:00:00Z'), // 12 h: 2 to 24 h (two there, one after, so the bands cannot trade places)
    order('D-1', R, 'rejected', '2026-03-06T12:00:00Z', { outcome_reason: 'not_in_breach_of_terms' }),
    order('D-2', R, 'rejected', AS_OF, { outcome_reason: 'not_in_breach_of_terms' }), // exactly at as_of: known
    order('D-3', R, 'rejected', '2026-03-06T12:00:00Z', { outcome_reason: 'force_majeure' }),
    order('D-4', R, 'rejected', '2026-03-06T12:00:00Z', { outcome_reason: 'manifest_error' }),
    order('D-5', R, 'rejected', '2026-03-06T12:00:00Z'), // no reason given
    order('D-6', R, 'rejected', '2026-03-10T13:00:00Z', { outcome_reason: 'manifest_error' }), // after as_of: open, 100 h
    order('P-1', R, 'pending', '', { clock_paused_hours: '3' }), // open, 97 h
    order('P-2', R, 'pending', '', { clock_paused_hours: '3' }), // open, 97 h: a tie with P-1
    order('P-3', R, 'unavailable', '2026-03-08T12:00:00Z', { clock_paused_hours: '5' }), // excluded
    order('P-0', '2026-03-05T12:00:00Z', 'pending', ''), // open, 120 h: the longest exposed, recorded last
  ];
  const db = memoryDb();
  const result = await importFile(db, writeTemp('orders.csv', csvOf(rows)), { now: AS_OF_MS + 2 * 3_600_000 });
  const filters = parseFilters(new URLSearchParams(`as_of=${AS_OF}`), {}, AS_OF_MS).filters;

  it('puts responses of exactly 1, 2 and 24 h in the lower band, and takes shares over the 14 not excluded', async () => {
    expect(result.status).toBe('committed');
    const { judged, bands } = getOrderOversight(await factsOf(db), filters);
    expect(judged).toBe(14);
    expect(Object.fromEntries(bands.map((b) => [b.key, b.count]))).toEqual({ within_1h: 1, '1h_to_2h': 1, '2h_to_24h': 2, after_24h: 1, not_executed: 5, open: 4 });
    expect(bands.find((b) => b.key === 'not_executed')!.share).toBe(5 / 14);
  });

  it('lists the grounds of orders not executed at as_of: most frequent first, then by code, none given last', async () => {
    expect(getOrderOversight(await factsOf(db), filters).not_executed).toEqual([
      { reason: 'not_in_breach_of_terms', count: 2 },
      { reason: 'force_majeure', count: 1 },
      { reason: 'manifest_error', count: 1 },
      { reason: null, count: 1 },
    ]);
    // The same order when the file gives the grounds the other way round.
    const other = memoryDb();
    await importFile(other, writeTemp('grounds.csv', csvOf([order('G-1', R, 'rejected', at(50), { outcome_reason: 'manifest_error' }), order('G-2', R, 'rejected', at(50), { outcome_reason: 'force_majeure' })])), { now: AS_OF_MS });
    expect(getOrderOversight(await factsOf(other), filters).not_executed.map((g) => g.reason)).toEqual(['force_majeure', 'manifest_error']);
  });

  it('lists paused clocks longest first, ties in the order of the records, an excluded order without hours', async () => {
    expect(getOrderOversight(await factsOf(db), filters).paused.map((p) => [p.paused_hours, p.status, p.hours])).toEqual([
      [5, 'excluded', null],
      [3, 'open', 97],
      [3, 'open', 97],
    ]);
  });

  it('lists the oldest open orders by exposure, ties in the order of the records, and counts them all', async () => {
    const open = async (limit: number) => getOldestOpenReferrals({ store: db, data: await factsOf(db) }, principalOf('analyst'), filters, { limit });
    expect((await open(20)).rows.map((r) => [r.referral_id, r.exposure_hours])).toEqual([
      ['P-0', 120],
      ['D-6', 100],
      ['P-1', 97],
      ['P-2', 97],
    ]);
    expect([(await open(3)).total, (await open(3)).rows.map((r) => r.referral_id)]).toEqual([4, ['P-0', 'D-6', 'P-1']]);
    expect((await open(1)).rows.map((r) => r.referral_id)).toEqual(['P-0']);
  });
});

describe('views before action', () => {
  it('counts an item whose outcome is known at as_of (exactly at it too) and both counts are given, no other', async () => {
    const views = (id: string, outcomeAt: string, before: string, after: string) =>
      validRow({ referral_id: id, platform: 'edge', referred_at: at(10), outcome_at: outcomeAt, views_at_referral: before, views_at_outcome: after });
    const db = memoryDb();
    await importFile(db, writeTemp('views.csv', csvOf([
      views('V-1', at(5), '10', '70'), // 60
      views('V-2', AS_OF, '0', '20'), // exactly at as_of: 20
      views('V-3', '2026-03-10T13:00:00Z', '0', '1000'), // after as_of: not yet known
      views('V-4', at(5), '', '500'), // no count at referral
      views('V-5', at(5), '5', ''), // no count at outcome
      views('V-6', at(5), '0', '100'), // 100: the deltas in file order are 60, 20, 100, and their median is 60
    ])), { now: AS_OF_MS + 2 * 3_600_000 });
    const { rows } = getViewsBeforeAction(await factsOf(db), parseFilters(new URLSearchParams(`as_of=${AS_OF}`), {}, AS_OF_MS).filters);
    expect(rows.map((r) => [r.key, r.n, r.views, r.median])).toEqual([['edge', 3, 180, 60]]);
  });
});

describe('floors: a clock pause longer than the time elapsed', () => {
  it('gives an open order an exposure of 0 h, never below, in both paths', async () => {
    // E-1: referred 2 h before as_of, paused 10 h: 2 − 10 would be −8 h. E-2: removed with its response floored to
    // 0 h too, so that Kaplan–Meier has an event at 0 h: E-1 (censored at 0 h, after the event) is still at risk
    // there, with the 40 fillers (censored at 0 h) in the large selection; censored at −8 h it would have left.
    const { small, large, grouped } = await both([
      validRow({ referral_id: 'E-1', kind: 'removal_order', referred_at: at(2), outcome: 'pending', outcome_at: '', clock_paused_hours: '10' }),
      validRow({ referral_id: 'E-2', kind: 'removal_order', referred_at: at(5), outcome: 'removed', outcome_at: at(4), clock_paused_hours: '3' }),
    ]);
    expect(small.max_follow_up).toBe(0);
    expect(small.km[0]).toMatchObject({ time: 0, n_risk: 2, n_event: 1, n_censor: 1 });
    expect(grouped.km[0]).toMatchObject({ time: 0, n_risk: 2, n_event: 1, n_censor: 1 });
    expect(large.km[0]).toMatchObject({ time: 0, n_risk: 42, n_event: 1, n_censor: 41 });
    for (const s of [small, large, grouped]) expect(compliance(s)[1]).toEqual([1, 1]);
  });

  it('gives a removed order a response time of 0 h: on time, and the first Kaplan–Meier row at 0 h; in both paths', async () => {
    // Referred 5 h before as_of, removed 1 h later, paused 3 h: 1 − 3 would be −2 h.
    const { small, large, grouped } = await both([validRow({ referral_id: 'E-1', kind: 'removal_order', referred_at: at(5), outcome: 'removed', outcome_at: at(4), clock_paused_hours: '3' })]);
    for (const s of [small, large, grouped]) {
      expect(compliance(s)[1]).toEqual([1, 1]);
      expect(s.km[0]).toMatchObject({ time: 0, n_event: 1 });
      expect(s.among_removed).toMatchObject({ median: 0, mean: 0 });
    }
  });
});

describe('persistent failure exactly at the target', () => {
  async function month(onTime: number, firstMonthOnTime?: number, also: Record<string, string>[] = []) {
    // Ten removal orders to one provider in each of three months (four, with a first month given); `onTime` of each
    // ten removed within 1 h, the rest after 2 h.
    const months = firstMonthOnTime === undefined ? ['2025-10', '2025-11', '2025-12'] : ['2025-09', '2025-10', '2025-11', '2025-12'];
    const rows = months.flatMap((m, at) =>
      Array.from({ length: 10 }, (_, k) => {
        const start = `${m}-0${1 + (k % 9)}T08:00:00Z`;
        const good = months.length === 4 && at === 0 ? firstMonthOnTime! : onTime;
        const done = new Date(Date.parse(start) + (k < good ? 30 : 120) * 60_000).toISOString().replace('.000', '');
        return validRow({ referral_id: `P-${m}-${k}`, kind: 'removal_order', platform: 'agora', referred_at: start, outcome: 'removed', outcome_at: done });
      }),
    );
    const db = memoryDb();
    await importFile(db, writeTemp('months.csv', csvOf([...rows, ...also])));
    return getProviderCompliance(await factsOf(db), parseFilters(new URLSearchParams('as_of=2026-01-15T00:00:00Z')).filters, { target: 0.9, months: 3, minOrders: 5, hours: 1 });
  }

  it('9 of 10 in every month (90%, the target) is not below it: not flagged', async () => {
    const result = await month(9);
    expect(result.providers[0].months.map((m) => [m.on_time, m.eligible, m.below_target])).toEqual([
      [9, 10, false],
      [9, 10, false],
      [9, 10, false],
    ]);
    expect(result.flagged).toEqual([]);
  });

  it('8 of 10 in every month is below: flagged, with the three months', async () => {
    expect((await month(8)).flagged).toEqual([{ key: 'agora', name: 'agora', triggering_months: ['2025-10', '2025-11', '2025-12'] }]);
  });

  it('judges removal orders only: late referrals to the same provider change nothing', async () => {
    const late = ['2025-10', '2025-11', '2025-12'].flatMap((m) =>
      Array.from({ length: 10 }, (_, k) => validRow({ referral_id: `L-${m}-${k}`, platform: 'agora', referred_at: `${m}-10T08:00:00Z`, outcome: 'removed', outcome_at: `${m}-12T08:00:00Z` })),
    );
    const result = await month(9, undefined, late);
    expect(result.providers[0].months.map((m) => [m.on_time, m.eligible])).toEqual([
      [9, 10],
      [9, 10],
      [9, 10],
    ]);
    expect(result.flagged).toEqual([]);
  });

  it('takes the compliance behind a flag over the months of the run only', async () => {
    // September 10 of 10, then three months of 8 of 10: flagged for October–December, 24 of 30 on time.
    const agora = (await month(8, 10)).providers[0];
    expect(agora.triggering_months).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(agora.triggering_compliance).toMatchObject({ hours: 1, eligible: 30, on_time: 24, rate: 0.8 });
  });
});
