// lib/metrics/time-orders.ts (issue 23, from the survivors of a mutation run):
// the event and censoring times Kaplan–Meier is given, worked by hand, in
// every path: a small selection sorts its own times, a large one walks the
// per-version orders, a breakdown walks them for all its groups at once.
// Removal orders received after as_of are the case the walk handles apart.
import { describe, expect, it } from 'vitest';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { selectRows } from '@/lib/metrics/selection';
import { referralStates } from '@/lib/metrics/state';
import { acknowledgeTimes, argsort, groupedTimes, survivalTimes } from '@/lib/metrics/time-orders';
import { memoryDb, writeTemp, factsOf } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

const T = Date.parse('2026-03-10T12:00:00Z');
const at = (hours: number) => new Date(T + hours * 3_600_000).toISOString().replace('.000', '');
const order = { kind: 'removal_order' };

// Platform `edge`, as_of T. Times in hours from the clock start METRICS.md gives at as_of.
const EDGE = [
  validRow({ referral_id: 'A', referred_at: at(-10), outcome: 'removed', outcome_at: at(-4) }), // event 6
  validRow({ ...order, referral_id: 'B', referred_at: at(-10), received_at: at(-9), outcome: 'removed', outcome_at: at(-5) }), // event 4 (from receipt)
  // Removed before its receipt, which lies after as_of: at as_of the clock runs from referred_at, event 4 (not 0).
  validRow({ ...order, referral_id: 'C', referred_at: at(-6), received_at: at(1), outcome: 'removed', outcome_at: at(-2) }),
  // Received exactly at as_of: known, so its clock starts then: censored at 0 (not 3).
  validRow({ ...order, referral_id: 'D', referred_at: at(-3), received_at: at(0), outcome: 'pending', outcome_at: '' }),
  // Received after as_of, paused 1 h: censored at 7 h from referred_at (not 0 from the receipt, nor 9).
  validRow({ ...order, referral_id: 'E', referred_at: at(-8), received_at: at(2), clock_paused_hours: '1', outcome: 'pending', outcome_at: '' }),
  // Received and removed exactly at as_of: the receipt is known, an event at 0 h (not 3 from referred_at).
  validRow({ ...order, referral_id: 'K', referred_at: at(-3), received_at: at(0), outcome: 'removed', outcome_at: at(0) }),
  validRow({ referral_id: 'F', referred_at: at(-5), clock_paused_hours: '2', outcome: 'pending', outcome_at: '' }), // censored 3
  validRow({ referral_id: 'G', referred_at: at(-7), outcome: 'rejected', outcome_at: at(-1) }), // declined: censored 7
  validRow({ referral_id: 'H', referred_at: at(-2), outcome: 'removed', outcome_at: at(1) }), // removed after as_of: open, censored 2
  validRow({ referral_id: 'I', referred_at: at(-9), outcome: 'unavailable', outcome_at: at(-1) }), // excluded: neither
  validRow({ referral_id: 'J', referred_at: at(-1), outcome: 'pending', outcome_at: '' }), // censored 1
];
const EVENTS = [0, 4, 4, 6];
const CENSORED = [0, 1, 2, 3, 7, 7];
// Time to acknowledge (received by as_of): B 1 h, D and K 3 h (received at as_of itself).
const ACKNOWLEDGED = [1, 3, 3];

async function setUp(fillers: number) {
  const filler = Array.from({ length: fillers }, (_, k) => validRow({ referral_id: `F-${k}`, platform: 'filler', referred_at: at(0), outcome: 'pending', outcome_at: '' }));
  const db = memoryDb();
  const result = await importFile(db, writeTemp('times.csv', csvOf([...EDGE.map((r) => ({ ...r, platform: 'edge' })), ...filler])), { now: T + 3 * 3_600_000 });
  if (result.status !== 'committed') throw new Error(result.message ?? 'not imported');
  const { facts } = (await factsOf(db));
  const rows = (query: string) => selectRows(facts, parseFilters(new URLSearchParams(`as_of=${at(0)}${query}`), {}, T).filters);
  const times = (selection: Uint32Array) => survivalTimes(facts, selection, referralStates(facts, selection, T), T);
  return { facts, rows, times };
}

describe('survival times at as_of', () => {
  it('of a small selection (11 rows of 211): gathered and sorted', async () => {
    const { facts, rows, times } = await setUp(200);
    const edge = rows('&platform=edge');
    expect(edge.length).toBeLessThan(facts.size / 16);
    const { events, censored } = times(edge);
    expect([...events]).toEqual(EVENTS);
    expect([...censored]).toEqual(CENSORED);
    expect([...acknowledgeTimes(facts, edge, T)]).toEqual(ACKNOWLEDGED);
  });

  it('of a large selection (all 11 rows): walked in the per-version orders, late receipts merged in', async () => {
    const { facts, rows, times } = await setUp(0);
    const all = rows('');
    expect(all.length).toBe(facts.size);
    const { events, censored } = times(all);
    expect([...events]).toEqual(EVENTS);
    expect([...censored]).toEqual(CENSORED);
    expect([...acknowledgeTimes(facts, all, T)]).toEqual(ACKNOWLEDGED);
  });

  it('of a large selection with fillers: the fillers censored at 0 come first', async () => {
    const { rows, times } = await setUp(30);
    const { events, censored } = times(rows(''));
    expect([...events]).toEqual(EVENTS);
    expect([...censored]).toEqual([...Array(30).fill(0), ...CENSORED]);
  });

  it('of the groups of a breakdown, in one walk and group by group', async () => {
    const { facts, rows } = await setUp(200);
    const [edge, filler] = [rows('&platform=edge'), rows('&platform=filler')];
    // Together they are every row: the walk of the orders.
    const [e, f] = groupedTimes(facts, [edge, filler], T);
    expect([[...e.events], [...e.censored], [...e.acknowledged]]).toEqual([EVENTS, CENSORED, ACKNOWLEDGED]);
    expect([f.events.length, f.censored.length, f.acknowledged.length, f.censored.every((h) => h === 0)]).toEqual([0, 200, 0, true]);
    // The edge group alone is small: each group gathers its own.
    const [small] = groupedTimes(facts, [edge], T);
    expect([[...small.events], [...small.censored], [...small.acknowledged]]).toEqual([EVENTS, CENSORED, ACKNOWLEDGED]);
  });
});

describe('argsort', () => {
  const ids = Uint32Array.from([10, 11, 12, 13, 14]);
  it('orders by the exact keys where the packing rounds them into one bucket', () => {
    // Keys 1, 0, 1.5 and 0.5 are one bucket beside a key of 2^60: the packing keeps them in
    // row order, and only the exact pass can put them right.
    // The smallest key is not the first row, so the exact pass moves it to the very front.
    const keys = new Map([[10, 1], [11, 2 ** 60], [12, 0], [13, 1.5], [14, 0.5]]);
    expect([...argsort(ids, (i) => keys.get(i)!, false)]).toEqual([12, 14, 10, 13, 11]);
    expect([...argsort(ids, (i) => keys.get(i)!, true)]).toEqual([11, 13, 10, 14, 12]);
  });

  it('keeps equal keys in row order, and gives an empty selection back as it is', () => {
    expect([...argsort(ids, (i) => (i === 12 ? 5 : 1), false)]).toEqual([10, 11, 13, 14, 12]);
    expect([...argsort(ids, () => 3, true)]).toEqual([10, 11, 12, 13, 14]);
    expect(argsort(new Uint32Array(0), () => 0, false)).toHaveLength(0);
  });
});
