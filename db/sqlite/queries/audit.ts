// The audit trail: append-only (triggers refuse UPDATE and DELETE).
import type { AuditQuery, AuditRow } from '../../store';
import type { Db } from '../client';
import { stmt } from '../statements';

export function appendAudit(db: Db, rows: readonly AuditRow[]): void {
  const insert = stmt(db, 'INSERT INTO audit_log (at, actor, role, action, outcome, target, filters, detail, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of rows) insert.run(r.at, r.actor, r.role, r.action, r.outcome, r.target, r.filters, r.detail, r.client);
}

export function readAudit(db: Db, q: AuditQuery): { total: number; rows: (AuditRow & { id: number })[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (condition: string, value: string | number | undefined) => {
    if (value === undefined || value === '') return;
    where.push(condition);
    params.push(value);
  };
  add('actor = ?', q.actor);
  add('action = ?', q.action);
  add('outcome = ?', q.outcome);
  add('at >= ?', q.from);
  add('at < ?', q.to);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.$client.prepare(`SELECT count(*) FROM audit_log ${clause}`).pluck().get(...params) as number;
  const rows = db.$client
    .prepare(`SELECT id, at, actor, role, action, outcome, target, filters, detail, client FROM audit_log ${clause} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as (AuditRow & { id: number })[];
  return { total, rows };
}
