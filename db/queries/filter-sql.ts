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

export function filterWhere(filters: Filters): { where: string; params: (string | number)[] } {
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
  return { where: conditions.join(' AND '), params };
}
