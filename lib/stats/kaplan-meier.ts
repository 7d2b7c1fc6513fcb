// METRICS.md, "Time to removal (survival)": the Kaplan–Meier estimate of
// the share still online t hours after clock start, with Greenwood log-log
// 95% intervals. Pure: no I/O, no dependencies.
import { Z95 } from './normal';

export interface KmRow {
  time: number;
  n_risk: number;
  n_event: number;
  /** Censorings at exactly this time (they leave the risk set after the events). */
  n_censor: number;
  surv: number;
  lower: number | null;
  upper: number | null;
}

export interface KmResult {
  /** One row per distinct event time (or at most `maxRows` of them, see kaplanMeier). */
  rows: KmRow[];
  /** How many distinct event times there are in all. */
  eventTimes: number;
  /** Smallest event time with S(t) ≤ 0.5, or null when not reached. */
  median: number | null;
  /** Smallest event time with S(t) ≤ 0.1, or null when not reached. */
  p90: number | null;
  /** 95% interval of the median: the first event times at which the lower and the upper bound of S fall to 0.5 or below. */
  medianLower: number | null;
  medianUpper: number | null;
  /** Largest follow-up time, events and censorings alike; null without observations. */
  maxFollowUp: number | null;
  /** The event times in ascending order (one per event, ties repeated). */
  sortedEventTimes: Float64Array;
}

/**
 * `times[i]` is observation i's time in hours; `events[i]` is 1 for an event
 * (removal) and 0 for a censoring. The arrays are not modified. With more
 * distinct event times than `maxRows`, at most `maxRows` rows are returned:
 * the median and p90 rows, and `maxRows − 2` spread evenly over the event
 * times (with the first and the last when there are two or more); every
 * kept row is exact, and median, p90 and max follow-up come from all.
 */
export function kaplanMeier(times: ArrayLike<number>, events: ArrayLike<number>, maxRows = Infinity): KmResult {
  const n = times.length;
  let nEvents = 0;
  for (let i = 0; i < n; i++) if (events[i]) nEvents++;
  const eventTimes = new Float64Array(nEvents);
  const censorTimes = new Float64Array(n - nEvents);
  for (let i = 0, e = 0, c = 0; i < n; i++) {
    if (events[i]) eventTimes[e++] = times[i];
    else censorTimes[c++] = times[i];
  }
  return kaplanMeierSorted(eventTimes.sort(), censorTimes.sort(), maxRows);
}

/**
 * The same from event times and censoring times each already in ascending
 * order; they are walked together, and at a tied time the events are
 * counted before the censorings.
 */
export function kaplanMeierSorted(eventTimes: Float64Array, censorTimes: Float64Array, maxRows = Infinity): KmResult {
  const n = eventTimes.length + censorTimes.length;
  const nEvents = eventTimes.length;
  if (n === 0) return { rows: [], eventTimes: 0, median: null, p90: null, medianLower: null, medianUpper: null, maxFollowUp: null, sortedEventTimes: eventTimes };
  let distinct = nEvents > 0 ? 1 : 0;
  for (let k = 1; k < nEvents; k++) if (eventTimes[k] !== eventTimes[k - 1]) distinct++;
  // Rows returned: all of them, or `slots` spread evenly over the distinct event times plus the median and p90
  // rows, two places kept for those so that maxRows is never exceeded.
  const all = distinct <= maxRows;
  const slots = Math.max(0, Math.floor(maxRows) - 2);
  const gridRow = (j: number) => (j >= slots ? -1 : slots === 1 ? 0 : Math.round((j * (distinct - 1)) / (slots - 1)));
  let grid = 0;
  // Unused while every row is kept (`wanted` is then always true).
  let nextKept = gridRow(0);
  const rows: KmRow[] = [];
  let row = 0;
  let atRisk = n;
  let surv = 1;
  let greenwood = 0;
  let median: number | null = null;
  let p90: number | null = null;
  let medianLower: number | null = null;
  let medianUpper: number | null = null;
  let e = 0;
  let c = 0;
  // Walked event time by event time: censorings after the last event change no row.
  while (e < nEvents) {
    const t = eventTimes[e];
    // Censorings before t have left the risk set; those at t leave after its events.
    while (c < censorTimes.length && censorTimes[c] < t) {
      atRisk--;
      c++;
    }
    let d = 0;
    while (e < nEvents && eventTimes[e] === t) {
      d++;
      e++;
    }
    let censored = 0;
    while (c < censorTimes.length && censorTimes[c] === t) {
      censored++;
      c++;
    }
    surv *= 1 - d / atRisk;
    // When the last at risk are removed (d = atRisk) this is d / 0 = Infinity, and S = 0.
    greenwood += d / (atRisk * (atRisk - d));
    let wanted = all || row === nextKept;
    if (median === null && atMost(surv, 0.5)) {
      median = t;
      wanted = true;
    }
    if (p90 === null && atMost(surv, 0.1)) {
      p90 = t;
      wanted = true;
    }
    // The median's interval: only until both bounds have reached 0.5 (later rows cannot change it).
    if (medianUpper === null) {
      const reached = boundsAtMostHalf(surv, greenwood);
      if (medianLower === null && reached & LOWER) medianLower = t;
      if (reached & UPPER) medianUpper = t;
    }
    if (wanted) {
      const [lower, upper] = logLogInterval(surv, greenwood);
      rows.push({ time: t, n_risk: atRisk, n_event: d, n_censor: censored, surv, lower, upper });
    }
    if (row === nextKept) nextKept = gridRow(++grid);
    row++;
    atRisk -= d + censored;
  }
  const lastEvent = eventTimes.length ? eventTimes[eventTimes.length - 1] : -Infinity;
  const lastCensor = censorTimes.length ? censorTimes[censorTimes.length - 1] : -Infinity;
  return {
    rows,
    eventTimes: distinct,
    median,
    p90,
    medianLower,
    medianUpper,
    maxFollowUp: Math.max(lastEvent, lastCensor),
    sortedEventTimes: eventTimes,
  };
}

/**
 * exp(−exp(log(−log S) ± z·se)), se = sqrt(Σ d/(n(n−d))) / |log S|; undefined
 * at S = 0. Called only at event times, where S < 1; and S = 0 exactly when
 * Greenwood's sum is infinite (S ≥ 1/n otherwise: no underflow to 0).
 */
function logLogInterval(surv: number, greenwood: number): [number | null, number | null] {
  if (!Number.isFinite(greenwood)) return [null, null];
  const logS = Math.log(surv);
  const se = Math.sqrt(greenwood) / Math.abs(logS);
  const center = Math.log(-logS);
  return [Math.exp(-Math.exp(center + Z95 * se)), Math.exp(-Math.exp(center - Z95 * se))];
}

/**
 * METRICS.md: S(t) ≤ q decided exactly. S is a product of fractions, and one
 * that equals q exactly (8/15 · 15/16 = 1/2) must count as reaching it; its
 * floating-point value can land a hair above. A relative 1e-12 is far below
 * any real step of S (at most a million referrals: steps of 1e-6 or more)
 * and far above the rounding of a product of a million factors (≈ 1e-10 at
 * worst, ≈ 1e-13 typically), so it decides as exact arithmetic would.
 */
export const RELATIVE_TOLERANCE = 1e-12;

export function atMost(value: number, threshold: number): boolean {
  return value <= threshold * (1 + RELATIVE_TOLERANCE);
}

const LOWER = 1;
const UPPER = 2;

/**
 * Which bounds of logLogInterval(surv, greenwood) are at most 0.5 (LOWER,
 * UPPER bits), without computing them: with L = −log S and k = z·se,
 * exp(−exp(log L ± k)) ≤ ½ ⟺ L·exp(±k) ≥ log 2. Where the interval is
 * undefined (S = 0) both count as reached. Runs once per event time up to the median.
 */
function boundsAtMostHalf(surv: number, greenwood: number): number {
  // S = 0 (see logLogInterval): both bounds are taken as S, which has reached ½.
  if (!Number.isFinite(greenwood)) return LOWER | UPPER;
  const L = -Math.log(surv);
  const k = (Z95 * Math.sqrt(greenwood)) / L;
  // Decided with the same relative tolerance as S itself (bound ≤ ½ ⟺ L·exp(±k) ≥ log 2).
  const reaches = (x: number) => x >= Math.LN2 * (1 - RELATIVE_TOLERANCE);
  // The upper bound is above S, so it can reach 0.5 only once S has.
  return (reaches(L * Math.exp(k)) ? LOWER : 0) | (atMost(surv, 0.5) && reaches(L * Math.exp(-k)) ? UPPER : 0);
}
