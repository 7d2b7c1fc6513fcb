// A breakdown (API.md) as CSV: one row per key of the dimension, the same
// figures the API and the pages show (README: columns).
import { csvPieces } from '@/lib/csv';
import type { Dimension, Filters } from '@/lib/filters';
import { getBreakdown, type BreakdownRow } from '@/lib/metrics';
import type { FactSnapshot } from '@/lib/metrics/fact-store';
import { DEFAULT_DEADLINES_HOURS } from '@/lib/metrics/summary';

type Cell = string | number | null;

const COLUMNS: [string, (r: BreakdownRow) => Cell][] = [
  ['key', (r) => r.key],
  ['name', (r) => r.name],
  ['referrals', (r) => r.total],
  ['n', (r) => r.n],
  ['actioned', (r) => r.actioned],
  ['declined', (r) => r.declined],
  ['open', (r) => r.open],
  ['excluded', (r) => r.excluded],
  ['removal_rate', (r) => r.removal_rate],
  ['removal_rate_lower', (r) => r.removal_rate_lower],
  ['removal_rate_upper', (r) => r.removal_rate_upper],
  ['km_median_hours', (r) => r.km_median],
  ['km_median_lower_hours', (r) => r.km_median_lower],
  ['km_median_upper_hours', (r) => r.km_median_upper],
  ['km_p90_hours', (r) => r.km_p90],
  ['max_follow_up_hours', (r) => r.max_follow_up],
  ...DEFAULT_DEADLINES_HOURS.flatMap((h): [string, (r: BreakdownRow) => Cell][] => {
    const at = (r: BreakdownRow) => r.compliance.find((c) => c.hours === h)!;
    return [
      [`eligible_${h}h`, (r) => at(r).eligible],
      [`on_time_${h}h`, (r) => at(r).on_time],
      [`compliance_${h}h`, (r) => at(r).rate],
      [`compliance_${h}h_lower`, (r) => at(r).lower],
      [`compliance_${h}h_upper`, (r) => at(r).upper],
    ];
  }),
  ['open_over_7_days', (r) => r.open_over_7_days],
  ['removed_median_hours', (r) => r.among_removed.median],
  ['removed_mean_hours', (r) => r.among_removed.mean],
  ['acknowledged', (r) => r.time_to_acknowledge.n],
  ['acknowledge_median_hours', (r) => r.time_to_acknowledge.median],
];

/** The column names, in order (README documents them). */
export const BREAKDOWN_CSV_COLUMNS = COLUMNS.map(([name]) => name);

export function breakdownCsv(data: FactSnapshot, filters: Filters, by: Dimension): Generator<string> {
  const { rows } = getBreakdown(data, filters, by, { kmPoints: 2 });
  return csvPieces(BREAKDOWN_CSV_COLUMNS, rows, (row) => COLUMNS.map(([, value]) => value(row)));
}
