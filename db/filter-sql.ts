// Record criteria as a SQL WHERE clause over `referrals r`, in the SQL both
// engines speak (`?` placeholders; PostgreSQL numbers them, db/postgres/sql.ts).
import { NO_REASON_GIVEN, SETTLING_OUTCOMES, type Dimension, type Status } from './codes';
import type { RecordCriteria } from './rows';

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

const quoted = (codes: readonly string[]) => codes.map((c) => `'${c}'`).join(', ');

/** Status at as_of from db/codes.ts SETTLING_OUTCOMES (as lib/metrics/state.ts does); each `?` is as_of. */
const STATUS_SQL: Record<Status, string> = {
  actioned: `r.outcome IN (${quoted(SETTLING_OUTCOMES.actioned)}) AND r.outcome_at <= ?`,
  declined: `r.outcome IN (${quoted(SETTLING_OUTCOMES.declined)}) AND r.outcome_at <= ?`,
  // Found gone only by as_of: an item found gone later was still online as far as anyone knew.
  excluded: `r.outcome IN (${quoted(SETTLING_OUTCOMES.excluded)}) AND r.outcome_at <= ?`,
  open: `NOT (r.outcome IN (${quoted(Object.values(SETTLING_OUTCOMES).flat())}) AND r.outcome_at IS NOT NULL AND r.outcome_at <= ?)`,
};

export function filterWhere(criteria: RecordCriteria): { where: string; params: (string | number)[] } {
  const conditions: string[] = ['r.referred_at <= ?'];
  const params: (string | number)[] = [criteria.asOf];
  if (criteria.referredFrom !== null) {
    conditions.push('r.referred_at >= ?');
    params.push(criteria.referredFrom);
  }
  if (criteria.referredBefore !== null) {
    conditions.push('r.referred_at < ?');
    params.push(criteria.referredBefore);
  }
  for (const [dimension, column] of Object.entries(COLUMN) as [Dimension, string][]) {
    const values = criteria.values[dimension];
    if (values.length === 0) continue;
    const marks = values.map(() => '?').join(', ');
    conditions.push(column.includes('(?)') ? column.replace('(?)', `(${marks})`) : `${column} IN (${marks})`);
    params.push(...values);
  }
  if (criteria.status) {
    const sql = STATUS_SQL[criteria.status];
    conditions.push(`(${sql})`);
    for (const _ of sql.matchAll(/\?/g)) params.push(criteria.asOf);
  }
  if (criteria.reason === NO_REASON_GIVEN) conditions.push('r.outcome_reason IS NULL');
  else if (criteria.reason) {
    conditions.push('r.outcome_reason = ?');
    params.push(criteria.reason);
  }
  return { where: conditions.join(' AND '), params };
}
