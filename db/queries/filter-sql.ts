// Filters as a SQL WHERE clause over `referrals r` (engine-specific SQL stays here).
import { referredRange, type Dimension, type Filters } from '@/lib/filters';

const COLUMN: Record<Dimension, string> = {
  platform: 'r.platform',
  platform_type: 'r.platform IN (SELECT code FROM platforms WHERE type IN (?))',
  group: 'r.group_code',
  ideology: 'r.group_code IN (SELECT code FROM groups WHERE ideology IN (?))',
  language: 'r.language',
  content_type: 'r.content_type',
  unit: 'r.unit',
  campaign: 'r.campaign',
  kind: 'r.kind',
};

/** METRICS.md "status at as_of", for selecting records (lib/metrics/state.ts is the definition; a test holds them equal). */
export const RECORD_STATUSES = ['actioned', 'declined', 'open', 'excluded'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** Narrowing of the records beyond the filters: status at as_of, and outcome_reason ('-': none given). */
export interface RecordSelection {
  status?: RecordStatus;
  reason?: string;
}

/** The reason parameter's value for "no reason given" (not a reason code: codes have no '-'). */
export const NO_REASON_GIVEN = '-';

/** Each `?` is as_of. */
const STATUS_SQL: Record<RecordStatus, string> = {
  actioned: "r.outcome IN ('removed', 'disabled') AND r.outcome_at <= ?",
  declined: "r.outcome = 'rejected' AND r.outcome_at <= ?",
  // Found gone only by as_of: an item found gone later was still online as far as anyone knew.
  excluded: "r.outcome = 'unavailable' AND r.outcome_at <= ?",
  open: "NOT (r.outcome IN ('removed', 'disabled', 'rejected', 'unavailable') AND coalesce(r.outcome_at <= ?, 0))",
};

export function filterWhere(filters: Filters, selection: RecordSelection = {}): { where: string; params: (string | number)[] } {
  const conditions: string[] = ['r.referred_at <= ?'];
  const params: (string | number)[] = [filters.asOf];
  const { start, end } = referredRange(filters);
  if (start !== null) {
    conditions.push('r.referred_at >= ?');
    params.push(start);
  }
  if (end !== null) {
    conditions.push('r.referred_at < ?');
    params.push(end);
  }
  for (const [dimension, column] of Object.entries(COLUMN) as [Dimension, string][]) {
    const values = filters.values[dimension];
    if (values.length === 0) continue;
    const marks = values.map(() => '?').join(', ');
    conditions.push(column.includes('(?)') ? column.replace('(?)', `(${marks})`) : `${column} IN (${marks})`);
    params.push(...values);
  }
  if (selection.status) {
    const sql = STATUS_SQL[selection.status];
    conditions.push(`(${sql})`);
    for (const _ of sql.matchAll(/\?/g)) params.push(filters.asOf);
  }
  if (selection.reason === NO_REASON_GIVEN) conditions.push('r.outcome_reason IS NULL');
  else if (selection.reason) {
    conditions.push('r.outcome_reason = ?');
    params.push(selection.reason);
  }
  return { where: conditions.join(' AND '), params };
}
