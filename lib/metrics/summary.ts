// The Summary of API.md: counts, removal rate, Kaplan–Meier time to
// removal, deadline compliance, plain times among removed items and time to
// acknowledge, for one set of referrals at as_of.
import type { FactColumns } from './facts';
import { kaplanMeierSorted, type KmRow } from '@/lib/stats/kaplan-meier';
import { mean, quantileSorted } from '@/lib/stats/quantile';
import { wilson } from '@/lib/stats/wilson';
import { formatInstant } from '@/lib/instant';
import * as state from './state';
import { acknowledgeTimes, survivalTimes } from './time-orders';

// Local copies: module bindings read in hot loops cost a getter call each under some loaders.
const ACTIONED = state.ACTIONED;
const DECLINED = state.DECLINED;
const EXCLUDED = state.EXCLUDED;
const OPEN = state.OPEN;
const referralStates = state.referralStates;

/** Rows of the Kaplan–Meier table returned at most (a chart needs no more); every kept row is exact. */
export const DEFAULT_KM_POINTS = 1000;

/** Pages draw curves: a few hundred exact steps are plenty and keep pages light. */
export const CHART = { kmPoints: 150 } as const;

/** METRICS.md: 1 h for removal orders, 24 h and 7 days as well; configurable. */
export const DEFAULT_DEADLINES_HOURS = [1, 24, 168];

export interface ComplianceRow {
  hours: number;
  eligible: number;
  on_time: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Summary {
  as_of: string;
  total: number;
  n: number;
  actioned: number;
  declined: number;
  open: number;
  excluded: number;
  removal_rate: number | null;
  /** Wilson 95% interval of the removal rate (METRICS.md: every rate carries its interval). */
  removal_rate_lower: number | null;
  removal_rate_upper: number | null;
  km: KmRow[];
  /** Distinct event times in all (km holds them all, or an even subset of at most km_points). */
  km_event_times: number;
  km_median: number | null;
  /** 95% interval of the KM median (first times the interval bounds of S reach 0.5); null where not reached. */
  km_median_lower: number | null;
  km_median_upper: number | null;
  km_p90: number | null;
  max_follow_up: number | null;
  compliance: ComplianceRow[];
  among_removed: { median: number | null; mean: number | null; p90: number | null };
  time_to_acknowledge: { n: number; median: number | null; p90: number | null };
  /** Open for 7 days or more at as_of (UI: "still online after 7 days"). */
  open_over_7_days: number;
}


/** METRICS.md "Deadline compliance": eligible = actioned, or open/declined with exposure ≥ h; on time = actioned within h. */
export function deadlineCompliance(status: Uint8Array, hours: Float64Array, h: number): ComplianceRow {
  let eligible = 0;
  let onTime = 0;
  for (let k = 0; k < status.length; k++) {
    const s = status[k];
    if (s === ACTIONED) {
      eligible++;
      if (hours[k] <= h) onTime++;
    } else if ((s === OPEN || s === DECLINED) && hours[k] >= h) eligible++;
  }
  return { hours: h, eligible, on_time: onTime, ...wilson(onTime, eligible) };
}

export interface SummaryOptions {
  deadlines?: readonly number[];
  kmPoints?: number;
}

/** Sorted times computed beforehand for this selection (a breakdown computes all groups' at once). */
export interface SortedTimes {
  events: Float64Array;
  censored: Float64Array;
  acknowledged: Float64Array;
}

export function summarize(facts: FactColumns, rows: Uint32Array, asOf: number, options: SummaryOptions = {}, sorted?: SortedTimes): Summary {
  const deadlines = options.deadlines ?? DEFAULT_DEADLINES_HOURS;
  const { status, hours } = referralStates(facts, rows, asOf);
  const total = rows.length;
  let actioned = 0;
  let declined = 0;
  let open = 0;
  let excluded = 0;
  let openOver7Days = 0;
  for (let k = 0; k < total; k++) {
    const s = status[k];
    if (s === ACTIONED) actioned++;
    else if (s === DECLINED) declined++;
    else if (s === EXCLUDED) excluded++;
    else {
      open++;
      if (hours[k] >= 168) openOver7Days++;
    }
  }
  const n = total - excluded;

  // Survival: events are actioned referrals, censorings open and declined ones.
  const times = sorted ?? survivalTimes(facts, rows, { status, hours }, asOf);
  const km = kaplanMeierSorted(times.events, times.censored, options.kmPoints ?? DEFAULT_KM_POINTS);
  // The events of the survival estimate are exactly the actioned referrals' response times.
  const removedTimes = km.sortedEventTimes;

  const compliance = deadlines.map((h) => deadlineCompliance(status, hours, h));

  // Time to acknowledge: received_at − referred_at over referrals received by as_of.
  const ackSorted = sorted?.acknowledged ?? acknowledgeTimes(facts, rows, asOf);

  const removal = wilson(actioned, n);
  return {
    as_of: formatInstant(asOf),
    total,
    n,
    actioned,
    declined,
    open,
    excluded,
    removal_rate: n > 0 ? actioned / n : null,
    removal_rate_lower: removal.lower,
    removal_rate_upper: removal.upper,
    km: km.rows,
    km_event_times: km.eventTimes,
    km_median: km.median,
    km_median_lower: km.medianLower,
    km_median_upper: km.medianUpper,
    km_p90: km.p90,
    max_follow_up: km.maxFollowUp,
    compliance,
    among_removed: { median: quantileSorted(removedTimes, 0.5), mean: mean(removedTimes), p90: quantileSorted(removedTimes, 0.9) },
    time_to_acknowledge: { n: ackSorted.length, median: quantileSorted(ackSorted, 0.5), p90: quantileSorted(ackSorted, 0.9) },
    open_over_7_days: openOver7Days,
  };
}
