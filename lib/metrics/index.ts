// The metrics API of the app: every page, route, export and briefing asks
// here, and every figure is computed once, from the fact columns.
import type { Db } from '@/db/client';
import { FilterError, previousPeriod, referredRange, type Dimension, type Filters } from '@/lib/filters';
import { compareSummaries } from './comparison';
import { DEFAULT_FAILURE_SETTINGS, providerMonthlyCompliance, type FailureSettings } from './persistent-failure';
import { crossPlatformSpread, newPlatforms } from './spread';
import { quantileSorted } from '@/lib/stats/quantile';
import { bucketLabel, bucketRange, bucketStart, type Bucket } from './periods';
import { formatInstant } from '@/lib/instant';
import { dimensionKeys, groupRows } from './dimensions';
import { getFacts } from './fact-store';
import { selectRows } from './selection';
import { summarize, type Summary, type SummaryOptions } from './summary';

export type { Summary } from './summary';

export function getSummary(db: Db, filters: Filters, options: SummaryOptions = {}): Summary {
  const { facts } = getFacts(db);
  return summarize(facts, selectRows(facts, filters), filters.asOf, options);
}

export interface BreakdownRow extends Summary {
  key: string;
  name: string;
}

export function getBreakdown(db: Db, filters: Filters, by: Dimension, options: SummaryOptions = {}) {
  const { facts } = getFacts(db);
  const keys = dimensionKeys(facts, by);
  const rows: BreakdownRow[] = groupRows(selectRows(facts, filters), keys).map((g) => ({
    key: g.key,
    name: keys.nameOf(g.key),
    ...summarize(facts, g.rows, filters.asOf, options),
  }));
  return { as_of: formatInstant(filters.asOf), by, rows };
}

export function getVolumes(db: Db, filters: Filters, by: Dimension) {
  const { facts } = getFacts(db);
  const keys = dimensionKeys(facts, by);
  const rows = groupRows(selectRows(facts, filters), keys).map((g) => ({ key: g.key, name: keys.nameOf(g.key), count: g.rows.length }));
  return { as_of: formatInstant(filters.asOf), by, rows };
}

/** Referral counts per period (and per key of `by`), every period of the range present, empty ones as 0. */
export function getVolumeSeries(db: Db, filters: Filters, bucket: Bucket, by?: Dimension) {
  const { facts } = getFacts(db);
  const rows = selectRows(facts, filters);
  const { start, end } = referredRange(filters);
  let first = start ?? Infinity;
  let last = Math.min(end === null ? -Infinity : end - 1, filters.asOf);
  if (start === null || end === null) {
    for (let k = 0; k < rows.length; k++) {
      const t = facts.referredAt[rows[k]];
      if (start === null && t < first) first = t;
      if (end === null && t > last) last = t;
    }
  }
  const periods = rows.length === 0 && (start === null || end === null) ? [] : bucketRange(first, last, bucket);
  const index = new Map(periods.map((p, i) => [p, i]));
  const keys = by ? dimensionKeys(facts, by) : null;
  const counts = new Map<string, Float64Array>();
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const key = keys ? keys.keyOf(i) : '';
    if (key === null) continue;
    let series = counts.get(key);
    if (!series) counts.set(key, (series = new Float64Array(periods.length)));
    const p = index.get(bucketStart(facts.referredAt[i], bucket));
    if (p !== undefined) series[p]++;
  }
  if (!keys && !counts.has('')) counts.set('', new Float64Array(periods.length));
  const out: { period: string; key?: string; name?: string; count: number }[] = [];
  const sortedKeys = [...counts.keys()].sort();
  periods.forEach((p, i) => {
    const label = bucketLabel(p, bucket);
    for (const key of sortedKeys)
      out.push(keys ? { period: label, key, name: keys.nameOf(key), count: counts.get(key)![i] } : { period: label, count: counts.get(key)![i] });
  });
  return { as_of: formatInstant(filters.asOf), by: by ?? null, bucket, rows: out };
}

/** METRICS.md "Views before action": views_at_outcome − views_at_referral where both are known, per platform. */
export function getViewsBeforeAction(db: Db, filters: Filters) {
  const { facts } = getFacts(db);
  const keys = dimensionKeys(facts, 'platform');
  const rows = groupRows(selectRows(facts, filters), keys)
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
}

export function getComparison(db: Db, filters: Filters, options: SummaryOptions = {}) {
  const previous = previousPeriod(filters);
  if (!previous) throw new FilterError([{ param: 'from', message: 'a comparison needs both from and to' }]);
  const current = getSummary(db, filters, options);
  const before = getSummary(db, previous, options);
  return {
    as_of: formatInstant(filters.asOf),
    period: { from: filters.from, to: filters.to },
    previous_period: { from: previous.from, to: previous.to },
    changes: compareSummaries(current, before),
    current,
    previous: before,
  };
}

export function getProviderCompliance(db: Db, filters: Filters, settings: FailureSettings = DEFAULT_FAILURE_SETTINGS) {
  const { facts } = getFacts(db);
  const providers = providerMonthlyCompliance(facts, filters, settings);
  return {
    as_of: formatInstant(filters.asOf),
    settings: { target: settings.target, months: settings.months, min_orders: settings.minOrders, hours: settings.hours },
    providers,
    flagged: providers.filter((p) => p.flagged).map((p) => ({ key: p.key, name: p.name, triggering_months: p.triggering_months })),
  };
}

export function getSpread(db: Db, filters: Filters, limit = 100) {
  const { facts } = getFacts(db);
  const items = crossPlatformSpread(facts, filters);
  return { as_of: formatInstant(filters.asOf), total: items.length, rows: items.slice(0, limit) };
}

export function getNewPlatforms(db: Db, filters: Filters) {
  const { facts } = getFacts(db);
  return { as_of: formatInstant(filters.asOf), rows: newPlatforms(facts, filters) };
}
