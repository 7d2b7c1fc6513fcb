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
  /** One row per distinct event time. */
  rows: KmRow[];
  /** Smallest event time with S(t) ≤ 0.5, or null when not reached. */
  median: number | null;
  /** Smallest event time with S(t) ≤ 0.1, or null when not reached. */
  p90: number | null;
  /** Largest follow-up time, events and censorings alike; null without observations. */
  maxFollowUp: number | null;
}

/**
 * `times[i]` is observation i's time in hours; `events[i]` is 1 for an event
 * (removal) and 0 for a censoring. The arrays are not modified.
 */
export function kaplanMeier(times: ArrayLike<number>, events: ArrayLike<number>): KmResult {
  const n = times.length;
  if (n === 0) return { rows: [], median: null, p90: null, maxFollowUp: null };
  // Sort by time; at tied times events come before censorings.
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => times[a] - times[b] || events[b] - events[a]);

  const rows: KmRow[] = [];
  let atRisk = n;
  let surv = 1;
  let greenwood = 0;
  let median: number | null = null;
  let p90: number | null = null;
  let i = 0;
  while (i < n) {
    const t = times[order[i]];
    let d = 0;
    let c = 0;
    while (i < n && times[order[i]] === t) {
      if (events[order[i]]) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      surv *= 1 - d / atRisk;
      greenwood = atRisk > d ? greenwood + d / (atRisk * (atRisk - d)) : Infinity;
      const [lower, upper] = logLogInterval(surv, greenwood);
      rows.push({ time: t, n_risk: atRisk, n_event: d, n_censor: c, surv, lower, upper });
      if (median === null && surv <= 0.5) median = t;
      if (p90 === null && surv <= 0.1) p90 = t;
    }
    atRisk -= d + c;
  }
  return { rows, median, p90, maxFollowUp: times[order[n - 1]] };
}

/** exp(−exp(log(−log S) ± z·se)), se = sqrt(Σ d/(n(n−d))) / |log S|; undefined at S = 0 or 1. */
function logLogInterval(surv: number, greenwood: number): [number | null, number | null] {
  if (!(surv > 0 && surv < 1) || !Number.isFinite(greenwood)) return [null, null];
  const logS = Math.log(surv);
  const se = Math.sqrt(greenwood) / Math.abs(logS);
  const center = Math.log(-logS);
  return [Math.exp(-Math.exp(center + Z95 * se)), Math.exp(-Math.exp(center - Z95 * se))];
}
