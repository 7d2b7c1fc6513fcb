// The audit trail: append-only (triggers refuse UPDATE, DELETE and TRUNCATE); every server writes to the one trail.
import type { AuditQuery, AuditRow } from '../../store';
import { rows, value, type Queryable } from '../sql';

const COLUMNS = ['at', 'actor', 'role', 'action', 'outcome', 'target', 'filters', 'detail', 'client'] as const;

export async function appendAudit(q: Queryable, entries: readonly AuditRow[]): Promise<void> {
  if (entries.length === 0) return;
  // One statement for the lot: a queue of entries flushed together is one round trip.
  const params: unknown[] = [];
  const tuples = entries.map((r) => `(${COLUMNS.map((c) => `$${params.push(r[c])}`).join(', ')})`);
  await q.query(`INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
}

export async function readAudit(q: Queryable, query: AuditQuery): Promise<{ total: number; rows: (AuditRow & { id: number })[] }> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (condition: string, param: string | number | undefined) => {
    if (param === undefined || param === '') return;
    where.push(`${condition} $${params.push(param)}`);
  };
  add('actor =', query.actor);
  add('action =', query.action);
  add('outcome =', query.outcome);
  add('at >=', query.from);
  add('at <', query.to);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (await value<number>(q, `SELECT count(*) FROM audit_log ${clause}`, params)) ?? 0;
  const page = await rows<AuditRow & { id: number }>(
    q,
    `SELECT id, at, actor, role, action, outcome, target, filters, detail, client FROM audit_log ${clause}
     ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.pageSize, (query.page - 1) * query.pageSize],
  );
  return { total, rows: page };
}
