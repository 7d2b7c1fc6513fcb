// The metrics API of the app: every page, route, export and briefing asks
// here, and every figure is computed once, from the fact columns.
import type { FactSnapshot } from './fact-store';
import { FilterError, previousPeriod, referredRange, type Dimension, type Filters } from '@/lib/filters';
import { compareSummaries } from './comparison';
import { failureSettingsInForce, providerMonthlyCompliance, type FailureSettings } from './persistent-failure';
import { crossPlatformSpread, newPlatforms, spreadWithoutRecords } from './spread';
import { may, type Principal } from '@/lib/auth/roles';
import { quantileSorted } from '@/lib/stats/quantile';
import { bucketIndexer, bucketLabel, type Bucket } from './periods';
import { formatInstant } from '@/lib/instant';
import { codeGroups, countRows, dimensionKeys, groupRows, groupRowsByMonth } from './dimensions';
import { memo } from './fact-store';
import { groupedTimes } from './time-orders';
import { kaplanMeierSorted } from '@/lib/stats/kaplan-meier';
import { STATUSES, type Status } from '@/db/codes';
import { OPEN, referralStates, STATUS_LABELS } from './state';
import { notExecutedByReason, pausedOrders, responseBands } from './orders';
import { selectRows } from './selection';
import { summarize, type Summary, type SummaryOptions } from './summary';


export type { Summary } from './summary';

export function getSummary(data: FactSnapshot, filters: Filters, options: SummaryOptions = {}): Summary {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getSummary', [filters, options], (facts) => {
    return summarize(facts, selectRows(facts, filters), filters.asOf, options);
  });
}

export interface BreakdownRow extends Summary {
  key: string;
  name: string;
}

export function getBreakdown(data: FactSnapshot, filters: Filters, by: Dimension, options: SummaryOptions = {}) {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getBreakdown', [filters, by, options], (facts) => {
    const keys = dimensionKeys(facts, by);
    const groups = groupRows(facts, selectRows(facts, filters), by);
    const times = groupedTimes(
      facts,
      groups.map((g) => g.rows),
      filters.asOf,
    );
    const rows: BreakdownRow[] = groups.map((g, k) => ({
      key: g.key,
      name: keys.nameOf(g.key),
      ...summarize(facts, g.rows, filters.asOf, options, times[k]),
    }));
    return { as_of: formatInstant(filters.asOf), by, rows };
  });
}

export function getVolumes(data: FactSnapshot, filters: Filters, by: Dimension) {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getVolumes', [filters, by], (facts) => {
    const keys = dimensionKeys(facts, by);
    const rows = countRows(facts, selectRows(facts, filters), by).map((c) => ({ key: c.key, name: keys.nameOf(c.key), count: c.count }));
    return { as_of: formatInstant(filters.asOf), by, rows };
  });
}

/** The most rows one time series answers (issue 14: 9,999 years of days by platform took the server down). */
export const MAX_SERIES_ROWS = 250_000;

/**
 * Referral counts per period (and per key of `by`, or per status at as_of
 * with by = 'status'), every period of the range present, empty ones as 0.
 */
export function getVolumeSeries(data: FactSnapshot, filters: Filters, bucket: Bucket, by?: Dimension | 'status') {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getVolumeSeries', [filters, bucket, by], (facts) => {
    const rows = selectRows(facts, filters);
    const { start, end } = referredRange(filters);
    // An open end is the day of the first or last referral. The selected rows lie within the given ends
    // (selectRows), so widening to them changes only an open one.
    let first = start ?? Infinity;
    let last = Math.min(end === null ? -Infinity : end - 1, filters.asOf);
    for (let k = 0; k < rows.length; k++) {
      const t = facts.referredAt[rows[k]];
      if (t < first) first = t;
      if (t > last) last = t;
    }
    // No referral and an open range leaves that end infinite: no period at all.
    const { starts: periods, indexOf } = bucketIndexer(first, last, bucket);
    let groups: { keys: readonly string[]; groupOfRow: (k: number) => number } | null = null;
    if (by === 'status') {
      const { status } = referralStates(facts, rows, filters.asOf);
      // A status code is its index in STATUSES.
      groups = { keys: STATUSES, groupOfRow: (k) => status[k] };
    } else if (by) {
      const g = codeGroups(facts, by);
      groups = { keys: g.keys, groupOfRow: (k) => g.groupOf[g.column[rows[k]]] };
    }
    const keyCount = groups ? groups.keys.length : 1;
    // Counted per key first, then per (period, key) only for keys present: memory and time follow the rows and the
    // answer, never periods × every key ever seen.
    const present = new Uint8Array(keyCount);
    const groupOf = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const g = groups ? groups.groupOfRow(k) : 0;
      groupOf[k] = g;
      if (g >= 0) present[g] = 1;
    }
    const shown = by ? present.reduce((a, v) => a + v, 0) : 1;
    if (periods.length * shown > MAX_SERIES_ROWS)
      throw new FilterError([
        {
          param: 'bucket',
          message: `${periods.length.toLocaleString('en')} ${bucket}s × ${shown.toLocaleString('en')} keys would be ${(periods.length * shown).toLocaleString('en')} rows; at most ${MAX_SERIES_ROWS.toLocaleString('en')}: choose a longer bucket or a shorter period`,
        },
      ]);
    const column = new Int32Array(keyCount).fill(-1);
    let columns = 0;
    for (let g = 0; g < keyCount; g++) if (present[g] || !by) column[g] = columns++;
    const counts = new Float64Array(periods.length * columns);
    for (let k = 0; k < rows.length; k++) {
      const g = groupOf[k];
      if (g < 0) continue;
      const p = indexOf(facts.referredAt[rows[k]]);
      if (p >= 0) counts[p * columns + column[g]]++;
    }
    const names = by === 'status' ? { nameOf: (key: string) => STATUS_LABELS[key as Status] } : by ? dimensionKeys(facts, by) : null;
    const out: { period: string; key?: string; name?: string; count: number }[] = [];
    periods.forEach((start, p) => {
      const label = bucketLabel(start, bucket);
      if (!groups) out.push({ period: label, count: counts[p] });
      else
        groups.keys.forEach((key, g) => {
          if (present[g]) out.push({ period: label, key, name: names!.nameOf(key), count: counts[p * columns + column[g]] });
        });
    });
    return { as_of: formatInstant(filters.asOf), by: by ?? null, bucket, rows: out };
  });
}

/**
 * The series of `by` as a table: one column per period, one row per key
 * (largest total first), in one pass over the series (the heat maps).
 */
export function getVolumeMatrix(data: FactSnapshot, filters: Filters, bucket: Bucket, by: Dimension) {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getVolumeMatrix', [filters, bucket, by], (_, snapshot) => {
    const series = getVolumeSeries(snapshot, filters, bucket, by);
    const periods = new Map<string, number>();
    const rows = new Map<string, { key: string; name: string; total: number; counts: number[] }>();
    for (const r of series.rows) {
      if (!periods.has(r.period)) periods.set(r.period, periods.size);
      let row = rows.get(r.key!);
      if (!row) rows.set(r.key!, (row = { key: r.key!, name: r.name!, total: 0, counts: [] }));
      row.counts[periods.get(r.period)!] = r.count;
      row.total += r.count;
    }
    const columnTotals = new Array<number>(periods.size).fill(0);
    for (const row of rows.values()) for (let p = 0; p < periods.size; p++) columnTotals[p] += row.counts[p] ??= 0;
    return {
      columns: [...periods.keys()].map((period, p) => ({ key: period, name: period, total: columnTotals[p] })),
      rows: [...rows.values()].sort((a, b) => b.total - a.total),
    };
  });
}

/** METRICS.md "Views before action": views_at_outcome − views_at_referral where both are known, per platform. */
export function getViewsBeforeAction(data: FactSnapshot, filters: Filters) {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getViewsBeforeAction', [filters], (facts) => {
    const keys = dimensionKeys(facts, 'platform');
    const rows = groupRows(facts, selectRows(facts, filters), 'platform')
      .map((g) => {
        const deltas: number[] = [];
        for (const i of g.rows) {
          const before = facts.viewsAtReferral[i];
          const after = facts.viewsAtOutcome[i];
          // The count at the outcome is known only once the outcome is (as_of).
          if (facts.outcomeAt[i] <= filters.asOf && !Number.isNaN(before) && !Number.isNaN(after)) deltas.push(after - before);
        }
        const sorted = Float64Array.from(deltas).sort();
        return { key: g.key, name: keys.nameOf(g.key), n: sorted.length, views: sorted.reduce((a, b) => a + b, 0), median: quantileSorted(sorted, 0.5) };
      })
      .filter((r) => r.n > 0);
    return { as_of: formatInstant(filters.asOf), rows };
  });
}

export function getComparison(data: FactSnapshot, filters: Filters, options: SummaryOptions = {}) {
  const previous = previousPeriod(filters);
  if (!previous) throw new FilterError([{ param: 'from', message: 'a comparison needs both from and to' }]);
  const current = getSummary(data, filters, options);
  const before = getSummary(data, previous, options);
  return {
    as_of: formatInstant(filters.asOf),
    period: { from: filters.from, to: filters.to },
    previous_period: { from: previous.from, to: previous.to },
    changes: compareSummaries(current, before),
    current,
    previous: before,
  };
}

export function getProviderCompliance(data: FactSnapshot, filters: Filters, settings: FailureSettings = failureSettingsInForce().settings) {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getProviderCompliance', [filters, settings], (facts) => {
    const providers = providerMonthlyCompliance(facts, filters, settings);
    return {
      as_of: formatInstant(filters.asOf),
      settings: { target: settings.target, months: settings.months, min_orders: settings.minOrders, hours: settings.hours },
      providers,
      flagged: providers.filter((p) => p.flagged).map((p) => ({ key: p.key, name: p.name, triggering_months: p.triggering_months })),
    };
  });
}

/** Content seen on several platforms; fingerprints and exact instants only for those who may see records. */
export function getSpread(data: FactSnapshot, filters: Filters, principal: Principal | null, limit = 100) {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  const spread = memo(data, 'getSpread', [filters, limit], (facts) => {
    const { total, items } = crossPlatformSpread(facts, filters, limit);
    return { as_of: formatInstant(filters.asOf), total, rows: items };
  });
  return may(principal, 'records') ? spread : { ...spread, rows: spreadWithoutRecords(spread.rows) };
}

export function getNewPlatforms(data: FactSnapshot, filters: Filters) {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getNewPlatforms', [filters], (facts) => {
    return { as_of: formatInstant(filters.asOf), rows: newPlatforms(facts, filters) };
  });
}

/** Kaplan–Meier median time to removal per key of `by` and calendar month of referred_at (as of the filters' as_of). */
export function getMonthlyMedians(data: FactSnapshot, filters: Filters, by: Dimension = 'platform') {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getMonthlyMedians', [filters, by], (facts) => {
    const keys = dimensionKeys(facts, by);
    const groups = groupRowsByMonth(facts, selectRows(facts, filters), by);
    // Only the median is wanted: survival times and Kaplan–Meier, without the rest of a summary.
    const times = groupedTimes(
      facts,
      groups.map((g) => g.rows),
      filters.asOf,
    );
    const rows = groups.map((group, k) => {
      const km = kaplanMeierSorted(times[k].events, times[k].censored, 2);
      return {
        month: bucketLabel(group.month, 'month'),
        key: group.key,
        name: keys.nameOf(group.key),
        n: times[k].events.length + times[k].censored.length,
        km_median: km.median,
        max_follow_up: km.maxFollowUp,
      };
    });
    return { as_of: formatInstant(filters.asOf), by, rows };
  });
}

/** Per key of `by`: the headline changes against the previous period of equal length (null without from and to). */
export function getBreakdownChanges(data: FactSnapshot, filters: Filters, by: Dimension, options: SummaryOptions = {}) {
  const previous = previousPeriod(filters);
  if (!previous) return null;
  const before = new Map(getBreakdown(data, previous, by, options).rows.map((r) => [r.key, r]));
  return {
    previous_period: { from: previous.from, to: previous.to },
    rows: getBreakdown(data, filters, by, options).rows.map((r) => ({
      key: r.key,
      // A key absent before compares with an empty period.
      changes: compareSummaries(r, before.get(r.key) ?? summarizeNothing(r.as_of)),
    })),
  };
}

function summarizeNothing(asOf: string): Summary {
  return {
    as_of: asOf, total: 0, n: 0, actioned: 0, declined: 0, open: 0, excluded: 0, removal_rate: null, removal_rate_lower: null, removal_rate_upper: null, km: [], km_event_times: 0,
    km_median: null, km_median_lower: null, km_median_upper: null, km_p90: null, max_follow_up: null, compliance: [],
    among_removed: { median: null, mean: null, p90: null }, time_to_acknowledge: { n: 0, median: null, p90: null }, open_over_7_days: 0,
  };
}

/** Referral counts for every pair of keys of two dimensions (a matrix: rows by one, columns by the other). */
export function getMatrix(data: FactSnapshot, filters: Filters, rowsBy: Dimension, columnsBy: Dimension) {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getMatrix', [filters, rowsBy, columnsBy], (facts) => {
    const a = codeGroups(facts, rowsBy);
    const b = codeGroups(facts, columnsBy);
    const counts = new Float64Array(a.keys.length * b.keys.length);
    const rows = selectRows(facts, filters);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const r = a.groupOf[a.column[i]];
      const c = b.groupOf[b.column[i]];
      if (r >= 0 && c >= 0) counts[r * b.keys.length + c]++;
    }
    const rowTotal = (r: number) => b.keys.reduce((sum, _k, c) => sum + counts[r * b.keys.length + c], 0);
    const columnTotal = (c: number) => a.keys.reduce((sum, _k, r) => sum + counts[r * b.keys.length + c], 0);
    const rowIndex = a.keys.map((_, r) => r).filter((r) => rowTotal(r) > 0);
    const columnIndex = b.keys.map((_, c) => c).filter((c) => columnTotal(c) > 0);
    const rowNames = dimensionKeys(facts, rowsBy);
    const columnNames = dimensionKeys(facts, columnsBy);
    return {
      as_of: formatInstant(filters.asOf),
      rows_by: rowsBy,
      columns_by: columnsBy,
      columns: columnIndex.map((c) => ({ key: b.keys[c], name: columnNames.nameOf(b.keys[c]), total: columnTotal(c) })),
      rows: rowIndex.map((r) => ({
        key: a.keys[r],
        name: rowNames.nameOf(a.keys[r]),
        total: rowTotal(r),
        counts: columnIndex.map((c) => counts[r * b.keys.length + c]),
      })),
    };
  });
}

/**
 * The referrals open at as_of (METRICS.md), how many, and the row ids and
 * exposures of the `limit` longest exposed (ties by row id).
 */
export function getOldestOpen(data: FactSnapshot, filters: Filters, limit: number): { total: number; rows: { rowId: number; exposure_hours: number }[] } {
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getOldestOpen', [filters, limit], (facts) => {
    const rows = selectRows(facts, filters);
    const { status, hours } = referralStates(facts, rows, filters.asOf);
    // The longest exposed so far, longest first (a short list kept by insertion: limit is small).
    const kept: number[] = [];
    const before = (k: number, j: number) => hours[k] > hours[j] || (hours[k] === hours[j] && facts.rowId[rows[k]] < facts.rowId[rows[j]]);
    let total = 0;
    for (let k = 0; k < rows.length; k++) {
      if (status[k] !== OPEN) continue;
      total++;
      if (kept.length === limit && !before(k, kept[limit - 1])) continue;
      let at = kept.length === limit ? limit - 1 : kept.length;
      while (at > 0 && before(k, kept[at - 1])) {
        kept[at] = kept[at - 1];
        at--;
      }
      kept[at] = k;
    }
    return { total, rows: kept.map((k) => ({ rowId: facts.rowId[rows[k]], exposure_hours: hours[k] })) };
  });
}

/**
 * Removal orders under the filters at as_of: responses around the one-hour
 * deadline, the grounds of orders not executed, and the orders whose clock
 * was paused (row ids, for the records behind them).
 */
export function getOrderOversight(data: FactSnapshot, filters: Filters) {
  const orders: Filters = { ...filters, values: { ...filters.values, kind: ['removal_order'] } };
  // Stryker disable next-line StringLiteral: a memo name keys nothing but itself; any text distinct from the others will do
  return memo(data, 'getOrderOversight', [orders], (facts) => {
    const rows = selectRows(facts, orders);
    const { total, bands } = responseBands(facts, rows, orders.asOf);
    return {
      as_of: formatInstant(orders.asOf),
      orders: rows.length,
      /** Orders not excluded (already unavailable), over which the bands' shares are taken. */
      judged: total,
      bands,
      not_executed: notExecutedByReason(facts, rows, orders.asOf),
      paused: pausedOrders(facts, rows, orders.asOf),
    };
  });
}
