// Kaplan–Meier needs the response times and the exposures of a selection in
// ascending order. Both orders are fixed per data version: response times
// do not depend on as_of, and exposures (as_of − clock start − pause) are
// ordered by clock start, latest first. So the rows are sorted once per
// data version, and a request only walks the two orders (no sort per request).
// The one exception is a removal order whose receipt lies after as_of: its
// clock runs from referred_at at that as_of (METRICS.md), so its time is not
// where the order has it. Such rows (orders received after as_of: few, and
// only near as_of) are taken out of the walk, sorted apart and merged in.
import type { FactColumns } from './facts';
import { ACTIONED, DECLINED, OPEN, referralStates, SETTLES_AS, type ReferralStates } from './state';

const HOUR_MS = 3_600_000;

// Local copies of the status codes: module bindings cost a getter per read in hot loops.
const S_ACTIONED = ACTIONED;
const S_OPEN = OPEN;
const S_DECLINED = DECLINED;
const SETTLES = SETTLES_AS;

interface TimeOrders {
  /** Rows removed or disabled, by response time ascending, with their response hours and outcome instants alongside. */
  byResponse: Uint32Array;
  /** outcome_at − (clock start + pause): the key the order is sorted by, exactly (the hours round it). */
  responseKeys: Float64Array;
  responseHours: Float64Array;
  responseOutcomeAt: Float64Array;
  responseReceivedAt: Float64Array;
  /** All rows by effective clock start (clock start + pause) descending, with start, outcome and outcome instant alongside. */
  byStartDescending: Uint32Array;
  startMs: Float64Array;
  startOutcome: Uint8Array;
  startOutcomeAt: Float64Array;
  startReceivedAt: Float64Array;
  /** Rows with a receipt, by time to acknowledge ascending, with those hours and the receipt instants alongside. */
  byAcknowledge: Uint32Array;
  /** received_at − referred_at, the exact key. */
  acknowledgeKeys: Float64Array;
  acknowledgeHours: Float64Array;
  acknowledgeReceivedAt: Float64Array;
}

// On globalThis for the same reason as the fact store (lib/metrics/fact-store.ts).
const cache = ((globalThis as unknown as { takedownTimeOrders?: WeakMap<FactColumns, TimeOrders> }).takedownTimeOrders ??= new WeakMap());

/**
 * Row indices sorted by key: keys are packed with the position into one
 * float and sorted natively, then an insertion pass over the exact keys
 * puts right what the packing rounded together.
 */
export function argsort(rows: Uint32Array, key: (i: number) => number, descending: boolean): Uint32Array {
  const n = rows.length;
  // Stryker disable all: the insertion pass below makes the order exact whatever the packing does; packing only saves that pass its work.
  if (n === 0) return rows;
  let min = Infinity;
  let max = -Infinity;
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = (keys[k] = key(rows[k]));
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const slots = 2 ** (52 - indexBits);
  const scale = max > min ? (slots - 1) / (max - min) : 0;
  const packed = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const bucket = Math.floor((keys[k] - min) * scale);
    packed[k] = (descending ? slots - 1 - bucket : bucket) * 2 ** indexBits + k;
  }
  // Stryker restore all
  packed.sort();
  const mask = 2 ** indexBits;
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = packed[k] % mask;
  // Exact order: only neighbours within one packed bucket can be out of place.
  const before = descending ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  for (let k = 1; k < n; k++) {
    const v = order[k];
    let j = k - 1;
    while (j >= 0 && before(keys[v], keys[order[j]])) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = v;
  }
  const out = new Uint32Array(n);
  for (let k = 0; k < n; k++) out[k] = rows[order[k]];
  return out;
}

// Each order's key of row i (what it is sorted by, exactly), one definition
// for the sort, the carry-over and the values kept alongside.
const responseKey = (f: FactColumns, i: number) => f.outcomeAt[i] - (f.clockStart[i] + f.pausedMs[i]);
const acknowledgeKey = (f: FactColumns, i: number) => f.receivedAt[i] - f.referredAt[i];
const startKey = (f: FactColumns, i: number) => f.clockStart[i] + f.pausedMs[i];

/** The three orders' members and keys (the one definition both the sort and the carry-over use). */
function orderKeys(facts: FactColumns) {
  return {
    response: { member: (i: number) => SETTLES[facts.outcome[i]] === S_ACTIONED, key: (i: number) => responseKey(facts, i), descending: false },
    acknowledge: { member: (i: number) => !Number.isNaN(facts.receivedAt[i]), key: (i: number) => acknowledgeKey(facts, i), descending: false },
    start: { member: () => true, key: (i: number) => startKey(facts, i), descending: true },
  } as const;
}

type OrderKey = ReturnType<typeof orderKeys>[keyof ReturnType<typeof orderKeys>];

function sortedMembers(facts: FactColumns, order: OrderKey, rows?: Uint32Array): Uint32Array {
  const n = rows ? rows.length : facts.size;
  const picked = new Uint32Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    if (order.member(i)) picked[m++] = i;
  }
  return argsort(picked.subarray(0, m), order.key, order.descending);
}

// The values kept alongside each order, per row. The hours are the same
// expressions as state.ts, so that they are the same doubles.
const responseHoursOf = (key: number) => Math.max(0, key / HOUR_MS);
const acknowledgeHoursOf = (key: number) => key / HOUR_MS;

/** The orders' keys and kept values, gathered from the columns for every place. */
function ordersFrom(facts: FactColumns, byResponse: Uint32Array, byAcknowledge: Uint32Array, byStartDescending: Uint32Array): TimeOrders {
  // Plain loops over the columns: TypedArray.from with a mapping function is many times slower.
  const { outcomeAt, receivedAt, outcome } = facts;
  const r = byResponse.length;
  const responseKeys = new Float64Array(r);
  const responseHours = new Float64Array(r);
  const responseOutcomeAt = new Float64Array(r);
  const responseReceivedAt = new Float64Array(r);
  for (let k = 0; k < r; k++) {
    const i = byResponse[k];
    const key = (responseKeys[k] = responseKey(facts, i));
    responseHours[k] = responseHoursOf(key);
    responseOutcomeAt[k] = outcomeAt[i];
    responseReceivedAt[k] = receivedAt[i];
  }
  const s = byStartDescending.length;
  const startMs = new Float64Array(s);
  const startOutcome = new Uint8Array(s);
  const startOutcomeAt = new Float64Array(s);
  const startReceivedAt = new Float64Array(s);
  for (let k = 0; k < s; k++) {
    const i = byStartDescending[k];
    startMs[k] = startKey(facts, i);
    startOutcome[k] = outcome[i];
    startOutcomeAt[k] = outcomeAt[i];
    startReceivedAt[k] = receivedAt[i];
  }
  const a = byAcknowledge.length;
  const acknowledgeKeys = new Float64Array(a);
  const acknowledgeHours = new Float64Array(a);
  const acknowledgeReceivedAt = new Float64Array(a);
  for (let k = 0; k < a; k++) {
    const i = byAcknowledge[k];
    const key = (acknowledgeKeys[k] = acknowledgeKey(facts, i));
    acknowledgeHours[k] = acknowledgeHoursOf(key);
    acknowledgeReceivedAt[k] = receivedAt[i];
  }
  return {
    byResponse,
    responseKeys,
    responseHours,
    responseOutcomeAt,
    responseReceivedAt,
    byStartDescending,
    startMs,
    startOutcome,
    startOutcomeAt,
    startReceivedAt,
    byAcknowledge,
    acknowledgeKeys,
    acknowledgeHours,
    acknowledgeReceivedAt,
  };
}

/** The orders of a version of the facts, built on first use (exported for the tests that hold the carried-over orders equal to a sort). */
export function timeOrders(facts: FactColumns): TimeOrders {
  const cached = cache.get(facts);
  if (cached) return cached;
  const keys = orderKeys(facts);
  const orders = ordersFrom(facts, sortedMembers(facts, keys.response), sortedMembers(facts, keys.acknowledge), sortedMembers(facts, keys.start));
  cache.set(facts, orders);
  return orders;
}

/** The three orders of a version, as kept between starts (fact-file.ts). */
export interface SavedOrders {
  response: Uint32Array;
  acknowledge: Uint32Array;
  start: Uint32Array;
}

/** The orders of these facts (sorted now if they are not yet), to keep them with the facts. */
export function savedOrders(facts: FactColumns): SavedOrders {
  const o = timeOrders(facts);
  return { response: o.byResponse, acknowledge: o.byAcknowledge, start: o.byStartDescending };
}

/**
 * Whether `order` holds each member of the facts exactly once, by key in the
 * order's direction and ties by row index: exactly what the sort gives. One
 * pass, so orders kept in a file are checked rather than trusted.
 */
function isOrderOf(facts: FactColumns, spec: OrderKey, order: Uint32Array): boolean {
  let members = 0;
  for (let i = 0; i < facts.size; i++) if (spec.member(i)) members++;
  if (order.length !== members) return false;
  const seen = new Uint8Array(facts.size);
  let prevRow = -1;
  let prevKey = NaN;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (i >= facts.size || seen[i] || !spec.member(i)) return false;
    seen[i] = 1;
    const key = spec.key(i);
    if (Number.isNaN(key)) return false;
    if (k > 0 && !(spec.descending ? prevKey > key : prevKey < key) && !(prevKey === key && prevRow < i)) return false;
    prevRow = i;
    prevKey = key;
  }
  return true;
}

/** Takes kept orders for these facts if they are exactly their orders (true), else leaves them to be sorted when first needed. */
export function adoptOrders(facts: FactColumns, saved: SavedOrders): boolean {
  const keys = orderKeys(facts);
  if (!isOrderOf(facts, keys.response, saved.response) || !isOrderOf(facts, keys.acknowledge, saved.acknowledge) || !isOrderOf(facts, keys.start, saved.start))
    return false;
  cache.set(facts, ordersFrom(facts, saved.response, saved.acknowledge, saved.start));
  return true;
}

/**
 * How a carried order is made of the old one: runs of places of the old
 * order (rows that did not change, which keep their order and key), copied
 * whole, with the changed rows that belong to the order (`added`, sorted)
 * merged in between. Ties fall by row index, as in argsort of rows in index
 * order, so the order is exactly the one a sort of everything gives.
 */
interface Merge {
  size: number;
  /** (place in the new order, place in the old one, length) per run of unchanged rows. */
  runs: Int32Array;
  runCount: number;
  /** The place in the new order of each of `added`. */
  addedAt: Int32Array;
  added: Uint32Array;
}

function merged(before: Uint32Array, beforeKeys: Float64Array, changed: Uint8Array, added: Uint32Array, addedKeys: Float64Array, descending: boolean): Merge {
  let kept = 0;
  for (let k = 0; k < before.length; k++) kept += 1 - changed[before[k]];
  // A run ends at each changed row of the old order and at each row merged in: at most that many runs, plus one.
  const runs = new Int32Array(3 * (before.length - kept + added.length + 1));
  const addedAt = new Int32Array(added.length);
  let runCount = 0;
  let o = 0;
  let j = 0;
  let lastK = -2;
  for (let k = 0; k < before.length; k++) {
    const i = before[k];
    if (changed[i]) continue;
    const ki = beforeKeys[k];
    // Changed rows that come first: by key (the order's direction), then by row index.
    while (j < added.length) {
      const ka = addedKeys[j];
      if (!(descending ? ka > ki : ka < ki) && !(ka === ki && added[j] < i)) break;
      addedAt[j++] = o++;
      lastK = -2;
    }
    if (k === lastK + 1) runs[3 * (runCount - 1) + 2]++;
    else {
      runs[3 * runCount] = o;
      runs[3 * runCount + 1] = k;
      runs[3 * runCount + 2] = 1;
      runCount++;
    }
    lastK = k;
    o++;
  }
  while (j < added.length) addedAt[j++] = o++;
  return { size: o, runs, runCount, addedAt, added };
}

/** One array of a carried order: the old order's values in runs, `fresh` of each row merged in. */
function carried<T extends Float64Array | Uint8Array | Uint32Array>(m: Merge, old: T, made: T, fresh: (i: number) => number): T {
  for (let r = 0; r < m.runCount; r++) made.set(old.subarray(m.runs[3 * r + 1], m.runs[3 * r + 1] + m.runs[3 * r + 2]), m.runs[3 * r]);
  for (let j = 0; j < m.added.length; j++) made[m.addedAt[j]] = fresh(m.added[j]);
  return made;
}

/**
 * The orders of `next` from those of `prev` (if built) when only the rows
 * marked in `changed` differ (changed in place, or appended): the other rows
 * keep their order and the values kept alongside (read in order, not
 * gathered from the columns again); the changed ones are sorted on their
 * own and merged in.
 */
export async function carryTimeOrders(prev: FactColumns, next: FactColumns, changed: Uint8Array, between: () => Promise<void> = async () => {}): Promise<void> {
  const old = cache.get(prev);
  if (!old) return;
  const keys = orderKeys(next);
  const fresh: number[] = [];
  for (let i = 0; i < next.size; i++) if (changed[i]) fresh.push(i);
  const freshRows = Uint32Array.from(fresh);
  const merge = (order: OrderKey, before: Uint32Array, beforeKeys: Float64Array) => {
    const added = sortedMembers(next, order, freshRows);
    const addedKeys = new Float64Array(added.length);
    for (let j = 0; j < added.length; j++) addedKeys[j] = order.key(added[j]);
    const m = merged(before, beforeKeys, changed, added, addedKeys, order.descending);
    const f64 = (old: Float64Array, value: (i: number) => number) => carried(m, old, new Float64Array(m.size), value);
    return { m, f64, rows: carried(m, before, new Uint32Array(m.size), (i) => i) };
  };
  const { outcomeAt, receivedAt, outcome } = next;
  // One order per turn of the event loop (`between`): requests are answered in between, from `prev`.
  const r = merge(keys.response, old.byResponse, old.responseKeys);
  const response = {
    byResponse: r.rows,
    responseKeys: r.f64(old.responseKeys, (i) => responseKey(next, i)),
    responseHours: r.f64(old.responseHours, (i) => responseHoursOf(responseKey(next, i))),
    responseOutcomeAt: r.f64(old.responseOutcomeAt, (i) => outcomeAt[i]),
    responseReceivedAt: r.f64(old.responseReceivedAt, (i) => receivedAt[i]),
  };
  await between();
  const a = merge(keys.acknowledge, old.byAcknowledge, old.acknowledgeKeys);
  const acknowledge = {
    byAcknowledge: a.rows,
    acknowledgeKeys: a.f64(old.acknowledgeKeys, (i) => acknowledgeKey(next, i)),
    acknowledgeHours: a.f64(old.acknowledgeHours, (i) => acknowledgeHoursOf(acknowledgeKey(next, i))),
    acknowledgeReceivedAt: a.f64(old.acknowledgeReceivedAt, (i) => receivedAt[i]),
  };
  await between();
  const s = merge(keys.start, old.byStartDescending, old.startMs);
  const start = {
    byStartDescending: s.rows,
    startMs: s.f64(old.startMs, (i) => startKey(next, i)),
    startOutcome: carried(s.m, old.startOutcome, new Uint8Array(s.m.size), (i) => outcome[i]),
    startOutcomeAt: s.f64(old.startOutcomeAt, (i) => outcomeAt[i]),
    startReceivedAt: s.f64(old.startReceivedAt, (i) => receivedAt[i]),
  };
  cache.set(next, { ...response, ...acknowledge, ...start });
}

/**
 * Event times (actioned) and censoring times (open and declined) of the
 * selected rows at as_of, each ascending. `states` are the states of `rows`, in order.
 */
export function survivalTimes(
  facts: FactColumns,
  rows: Uint32Array,
  states: ReferralStates,
  asOf: number,
): { events: Float64Array; censored: Float64Array } {
  let nEvents = 0;
  let nCensored = 0;
  for (let k = 0; k < rows.length; k++) {
    const s = states.status[k];
    if (s === S_ACTIONED) nEvents++;
    else if (s === S_OPEN || s === S_DECLINED) nCensored++;
  }
  const events = new Float64Array(nEvents);
  const censored = new Float64Array(nCensored);
  // Small selections: gather and sort directly.
  // Stryker disable next-line all: both ways give the same times (test/metrics/time-orders.test.ts walks all three); the choice only changes the work.
  if (rows.length < facts.size / 16) {
    for (let k = 0, e = 0, c = 0; k < rows.length; k++) {
      const s = states.status[k];
      if (s === S_ACTIONED) events[e++] = states.hours[k];
      else if (s === S_OPEN || s === S_DECLINED) censored[c++] = states.hours[k];
    }
    return { events: events.sort(), censored: censored.sort() };
  }
  // Large ones: walk the per-version orders, keeping the selected rows.
  const o = timeOrders(facts);
  const selected = new Uint8Array(facts.size);
  for (let k = 0; k < rows.length; k++) selected[rows[k]] = 1;
  const byResponse = o.byResponse;
  const lateEvents: number[] = [];
  let e = 0;
  for (let j = 0; j < byResponse.length; j++) {
    if (!selected[byResponse[j]] || o.responseOutcomeAt[j] > asOf) continue;
    if (o.responseReceivedAt[j] > asOf) lateEvents.push(unreceivedHours(facts, byResponse[j], o.responseOutcomeAt[j]));
    else events[e++] = o.responseHours[j];
  }
  const byStart = o.byStartDescending;
  const lateCensored: number[] = [];
  let c = 0;
  for (let j = 0; j < byStart.length; j++) {
    if (!selected[byStart[j]] || !censoredAt(o.startOutcome[j], o.startOutcomeAt[j], asOf)) continue;
    if (o.startReceivedAt[j] > asOf) lateCensored.push(unreceivedHours(facts, byStart[j], asOf));
    else censored[c++] = Math.max(0, (asOf - o.startMs[j]) / HOUR_MS);
  }
  return { events: mergeIn(events, e, lateEvents), censored: mergeIn(censored, c, lateCensored) };
}

/** Open or declined at as_of (so censored at its exposure): not actioned by then, not excluded by then. */
function censoredAt(outcome: number, outcomeAt: number, asOf: number): boolean {
  if (outcomeAt > asOf) return true;
  const s = SETTLES[outcome];
  return s === S_OPEN || s === S_DECLINED;
}

/** Hours from referred_at (plus pause) to `until`, never below 0: the time of a row whose receipt is not known yet. */
function unreceivedHours(facts: FactColumns, i: number, until: number): number {
  return Math.max(0, (until - (facts.referredAt[i] + facts.pausedMs[i])) / HOUR_MS);
}

/** The first `n` values of `sorted` (ascending) with `extra` merged in, ascending; `sorted` when there is nothing to merge. */
function mergeIn(sorted: Float64Array, n: number, extra: number[]): Float64Array {
  if (extra.length === 0) return sorted.subarray(0, n);
  const more = Float64Array.from(extra).sort();
  const out = new Float64Array(n + more.length);
  let a = 0;
  let b = 0;
  for (let k = 0; k < out.length; k++) out[k] = b >= more.length || (a < n && sorted[a] <= more[b]) ? sorted[a++] : more[b++];
  return out;
}

/** METRICS.md "Acknowledgement": received_at − referred_at in hours, ascending, over selected rows received by as_of. */
export function acknowledgeTimes(facts: FactColumns, rows: Uint32Array, asOf: number): Float64Array {
  // Stryker disable next-line all: both ways give the same times (test/metrics/time-orders.test.ts walks all three); the choice only changes the work.
  if (rows.length < facts.size / 16) {
    const out: number[] = [];
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      if (facts.receivedAt[i] <= asOf) out.push((facts.receivedAt[i] - facts.referredAt[i]) / HOUR_MS);
    }
    return Float64Array.from(out).sort();
  }
  const o = timeOrders(facts);
  const selected = new Uint8Array(facts.size);
  for (let k = 0; k < rows.length; k++) selected[rows[k]] = 1;
  const out = new Float64Array(o.byAcknowledge.length);
  let n = 0;
  for (let j = 0; j < o.byAcknowledge.length; j++)
    if (selected[o.byAcknowledge[j]] && o.acknowledgeReceivedAt[j] <= asOf) out[n++] = o.acknowledgeHours[j];
  return out.subarray(0, n);
}

export interface GroupTimes {
  events: Float64Array;
  censored: Float64Array;
  acknowledged: Float64Array;
}

/**
 * Survival and acknowledgement times of several disjoint selections at once
 * (a breakdown): one walk of each per-version order, handing every row to
 * its group. Small selections gather and sort each group directly.
 */
export function groupedTimes(facts: FactColumns, groups: readonly Uint32Array[], asOf: number): GroupTimes[] {
  // Stryker disable all: both ways give the same times (test/metrics/time-orders.test.ts walks all three); the choice only changes the work.
  let selected = 0;
  for (const rows of groups) selected += rows.length;
  if (selected < facts.size / 16) {
    // Stryker restore all
    return groups.map((rows) => ({
      ...survivalTimes(facts, rows, referralStates(facts, rows, asOf), asOf),
      acknowledged: acknowledgeTimes(facts, rows, asOf),
    }));
  }
  const o = timeOrders(facts);
  // The group of every row, -1 for rows in none.
  const groupOf = new Int32Array(facts.size).fill(-1);
  groups.forEach((rows, g) => {
    for (let k = 0; k < rows.length; k++) groupOf[rows[k]] = g;
  });
  // A group has at most as many times of each kind as rows: fill, then trim.
  const events = groups.map((rows) => new Float64Array(rows.length));
  const censored = groups.map((rows) => new Float64Array(rows.length));
  const acknowledged = groups.map((rows) => new Float64Array(rows.length));
  const nEvents = new Uint32Array(groups.length);
  const nCensored = new Uint32Array(groups.length);
  const nAck = new Uint32Array(groups.length);
  // Rows whose receipt lies after as_of, per group, merged in at the end (see the head of this file).
  const lateEvents = new Map<number, number[]>();
  const lateCensored = new Map<number, number[]>();
  const late = (map: Map<number, number[]>, g: number, hours: number) => {
    const list = map.get(g);
    if (list) list.push(hours);
    else map.set(g, [hours]);
  };
  const { byResponse, responseOutcomeAt, responseHours, responseReceivedAt } = o;
  for (let j = 0; j < byResponse.length; j++) {
    const g = groupOf[byResponse[j]];
    if (g < 0 || responseOutcomeAt[j] > asOf) continue;
    if (responseReceivedAt[j] > asOf) late(lateEvents, g, unreceivedHours(facts, byResponse[j], responseOutcomeAt[j]));
    else events[g][nEvents[g]++] = responseHours[j];
  }
  const { byStartDescending, startOutcome, startOutcomeAt, startMs, startReceivedAt } = o;
  for (let j = 0; j < byStartDescending.length; j++) {
    const g = groupOf[byStartDescending[j]];
    if (g < 0 || !censoredAt(startOutcome[j], startOutcomeAt[j], asOf)) continue;
    if (startReceivedAt[j] > asOf) late(lateCensored, g, unreceivedHours(facts, byStartDescending[j], asOf));
    else censored[g][nCensored[g]++] = Math.max(0, (asOf - startMs[j]) / HOUR_MS);
  }
  const { byAcknowledge, acknowledgeReceivedAt, acknowledgeHours } = o;
  for (let j = 0; j < byAcknowledge.length; j++) {
    const g = groupOf[byAcknowledge[j]];
    if (g >= 0 && acknowledgeReceivedAt[j] <= asOf) acknowledged[g][nAck[g]++] = acknowledgeHours[j];
  }
  return groups.map((_, g) => ({
    events: mergeIn(events[g], nEvents[g], lateEvents.get(g) ?? []),
    censored: mergeIn(censored[g], nCensored[g], lateCensored.get(g) ?? []),
    acknowledged: acknowledged[g].subarray(0, nAck[g]),
  }));
}
