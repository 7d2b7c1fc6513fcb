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
  /** One row per distinct event time (or an evenly spread subset of them, see `maxRows`). */
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
 * distinct event times than `maxRows`, the rows are a subset spread evenly
 * over them (always with the first, the last and the median and p90 rows);
 * every kept row is exact, and median, p90 and max follow-up come from all.
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
  // The full table in columns (one entry per distinct event time); row objects only for the rows returned.
  let distinct = nEvents > 0 ? 1 : 0;
  for (let k = 1; k < nEvents; k++) if (eventTimes[k] !== eventTimes[k - 1]) distinct++;
  const time = new Float64Array(distinct);
  const nRisk = new Float64Array(distinct);
  const nEvent = new Float64Array(distinct);
  const nCensor = new Float64Array(distinct);
  const survival = new Float64Array(distinct);
  const gw = new Float64Array(distinct);
  let rowsCount = 0;
  let atRisk = n;
  let surv = 1;
  let greenwood = 0;
  let median = -1;
  let p90 = -1;
  let medianLower = -1;
  let medianUpper = -1;
  let e = 0;
  let c = 0;
  while (e < eventTimes.length || c < censorTimes.length) {
    const t = e < eventTimes.length && (c >= censorTimes.length || eventTimes[e] <= censorTimes[c]) ? eventTimes[e] : censorTimes[c];
    let d = 0;
    while (e < eventTimes.length && eventTimes[e] === t) {
      d++;
      e++;
    }
    let censored = 0;
    while (c < censorTimes.length && censorTimes[c] === t) {
      censored++;
      c++;
    }
    if (d > 0) {
      surv *= 1 - d / atRisk;
      greenwood = atRisk > d ? greenwood + d / (atRisk * (atRisk - d)) : Infinity;
      time[rowsCount] = t;
      nRisk[rowsCount] = atRisk;
      nEvent[rowsCount] = d;
      nCensor[rowsCount] = censored;
      survival[rowsCount] = surv;
      gw[rowsCount] = greenwood;
      if (median < 0 && surv <= 0.5) median = rowsCount;
      if (p90 < 0 && surv <= 0.1) p90 = rowsCount;
      if (medianUpper < 0) {
        // Intervals only until both bounds have reached 0.5: later rows cannot change them.
        const [lower, upper] = logLogInterval(surv, greenwood);
        if (medianLower < 0 && (lower === null ? surv <= 0.5 : lower <= 0.5)) medianLower = rowsCount;
        if (upper === null ? surv <= 0.5 : upper <= 0.5) medianUpper = rowsCount;
      }
      rowsCount++;
    }
    atRisk -= d + censored;
  }

  const keep = new Set<number>();
  if (rowsCount <= maxRows) for (let r = 0; r < rowsCount; r++) keep.add(r);
  else {
    const slots = Math.max(2, maxRows);
    for (let j = 0; j < slots; j++) keep.add(Math.round((j * (rowsCount - 1)) / (slots - 1)));
    if (median >= 0) keep.add(median);
    if (p90 >= 0) keep.add(p90);
  }
  const rows: KmRow[] = [...keep]
    .sort((a, b) => a - b)
    .map((r) => {
      const [lower, upper] = logLogInterval(survival[r], gw[r]);
      return { time: time[r], n_risk: nRisk[r], n_event: nEvent[r], n_censor: nCensor[r], surv: survival[r], lower, upper };
    });
  const lastEvent = eventTimes.length ? eventTimes[eventTimes.length - 1] : -Infinity;
  const lastCensor = censorTimes.length ? censorTimes[censorTimes.length - 1] : -Infinity;
  return {
    rows,
    eventTimes: rowsCount,
    median: median >= 0 ? time[median] : null,
    p90: p90 >= 0 ? time[p90] : null,
    medianLower: medianLower >= 0 ? time[medianLower] : null,
    medianUpper: medianUpper >= 0 ? time[medianUpper] : null,
    maxFollowUp: Math.max(lastEvent, lastCensor),
    sortedEventTimes: eventTimes,
  };
}

/** exp(−exp(log(−log S) ± z·se)), se = sqrt(Σ d/(n(n−d))) / |log S|; undefined at S = 0 or 1. */
function logLogInterval(surv: number, greenwood: number): [number | null, number | null] {
  if (!(surv > 0 && surv < 1) || !Number.isFinite(greenwood)) return [null, null];
  const logS = Math.log(surv);
  const se = Math.sqrt(greenwood) / Math.abs(logS);
  const center = Math.log(-logS);
  return [Math.exp(-Math.exp(center + Z95 * se)), Math.exp(-Math.exp(center - Z95 * se))];
}
