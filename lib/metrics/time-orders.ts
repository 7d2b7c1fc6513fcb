// Kaplan–Meier needs the response times and the exposures of a selection in
// ascending order. Both orders are fixed per data version: response times
// do not depend on as_of, and exposures (as_of − clock start − pause) are
// ordered by clock start, latest first. So the rows are sorted once per
// data version, and a request only walks the two orders (no sort per request).
import type { FactColumns } from '@/db/queries/facts';
import { ACTIONED, DECLINED, OPEN, type ReferralStates } from './state';

const REMOVED = 1;
const DISABLED = 2;

interface TimeOrders {
  /** Rows removed or disabled, by response time ascending. */
  byResponse: Uint32Array;
  /** All rows by effective clock start (clock start + pause) descending. */
  byStartDescending: Uint32Array;
}

const cache = new WeakMap<FactColumns, TimeOrders>();

/** Row indices sorted by key; keys are packed with the index into one float, then ties of the packed key are put right per request. */
function argsort(rows: Uint32Array, key: (i: number) => number, descending: boolean): Uint32Array {
  const n = rows.length;
  if (n === 0) return rows;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = key(rows[k]);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const slots = 2 ** (52 - indexBits);
  const scale = max > min ? (slots - 1) / (max - min) : 0;
  const packed = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const bucket = Math.floor((key(rows[k]) - min) * scale);
    packed[k] = (descending ? slots - 1 - bucket : bucket) * 2 ** indexBits + k;
  }
  packed.sort();
  const out = new Uint32Array(n);
  const mask = 2 ** indexBits;
  for (let k = 0; k < n; k++) out[k] = rows[packed[k] % mask];
  return out;
}

function timeOrders(facts: FactColumns): TimeOrders {
  const cached = cache.get(facts);
  if (cached) return cached;
  const start = (i: number) => facts.clockStart[i] + facts.pausedMs[i];
  let actioned = 0;
  for (let i = 0; i < facts.size; i++) if (facts.outcome[i] === REMOVED || facts.outcome[i] === DISABLED) actioned++;
  const removed = new Uint32Array(actioned);
  const all = new Uint32Array(facts.size);
  for (let i = 0, r = 0; i < facts.size; i++) {
    all[i] = i;
    if (facts.outcome[i] === REMOVED || facts.outcome[i] === DISABLED) removed[r++] = i;
  }
  const orders = {
    byResponse: argsort(removed, (i) => facts.outcomeAt[i] - start(i), false),
    byStartDescending: argsort(all, start, true),
  };
  cache.set(facts, orders);
  return orders;
}

/** Sorts an almost sorted array in place (only neighbours within a packed-key bucket can be out of order). */
function settle(a: Float64Array): Float64Array {
  for (let k = 1; k < a.length; k++) {
    const v = a[k];
    let j = k - 1;
    if (a[j] <= v) continue;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
  return a;
}

/**
 * Event times (actioned) and censoring times (open and declined) of the
 * selected rows, each ascending. `states` are the states of `rows`, in order.
 */
export function survivalTimes(facts: FactColumns, rows: Uint32Array, states: ReferralStates): { events: Float64Array; censored: Float64Array } {
  let nEvents = 0;
  let nCensored = 0;
  for (let k = 0; k < rows.length; k++) {
    const s = states.status[k];
    if (s === ACTIONED) nEvents++;
    else if (s === OPEN || s === DECLINED) nCensored++;
  }
  const events = new Float64Array(nEvents);
  const censored = new Float64Array(nCensored);
  // Small selections: gather and sort directly.
  if (rows.length < facts.size / 16) {
    for (let k = 0, e = 0, c = 0; k < rows.length; k++) {
      const s = states.status[k];
      if (s === ACTIONED) events[e++] = states.hours[k];
      else if (s === OPEN || s === DECLINED) censored[c++] = states.hours[k];
    }
    return { events: events.sort(), censored: censored.sort() };
  }
  // Large ones: walk the per-version orders, keeping the selected rows.
  const orders = timeOrders(facts);
  const position = new Int32Array(facts.size).fill(-1);
  for (let k = 0; k < rows.length; k++) position[rows[k]] = k;
  let e = 0;
  for (const i of orders.byResponse) {
    const k = position[i];
    if (k >= 0 && states.status[k] === ACTIONED) events[e++] = states.hours[k];
  }
  let c = 0;
  for (const i of orders.byStartDescending) {
    const k = position[i];
    if (k < 0) continue;
    const s = states.status[k];
    if (s === OPEN || s === DECLINED) censored[c++] = states.hours[k];
  }
  return { events: settle(events), censored: settle(censored) };
}

