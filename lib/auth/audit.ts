// The audit trail (issue 6): who did what, when, to what, under which
// filters. Append-only (triggers refuse UPDATE and DELETE). Values are
// neutralised: control characters and bidirectional overrides are written
// as visible escapes, so that a logged value can neither forge a line nor
// reorder what a reader sees. Passwords and tokens are never passed here.
import type { Db } from '@/db/sqlite/client';
import type { Principal } from './roles';
import { tryWrite } from './nonblocking';
import { stmt } from './store';

export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_out',
  'refused',
  'record_view',
  'export',
  'briefing_download',
  'import',
  'user_add',
  'user_disable',
  'password_reset',
  'token_create',
  'token_revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_OUTCOMES = ['allowed', 'refused', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditInput {
  /** The user, an e-mail address as typed (failed sign-ins), a command-line actor, or null for nobody signed in. */
  actor: Principal | string | null;
  action: AuditAction;
  outcome: AuditOutcome;
  target: string;
  /** Query parameters the action was asked with. */
  filters?: URLSearchParams | Record<string, string> | null;
  detail?: string | null;
  /** The client's network address, for entries a request made. */
  client?: string | null;
  at?: number;
}

const MAX_VALUE = 2000;

/** Control characters (C0, DEL, C1), line and paragraph separators and bidi controls become \uXXXX. */
export function neutraliseLogValue(value: string): string {
  const escaped = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > MAX_VALUE ? `${escaped.slice(0, MAX_VALUE)}…` : escaped;
}

/** Parameters whose values are never logged, whatever route they reach. */
const SECRET_PARAMS = /pass|token|secret|key|auth/i;

function filtersJson(filters: AuditInput['filters']): string | null {
  if (!filters) return null;
  const entries = filters instanceof URLSearchParams ? [...filters.entries()] : Object.entries(filters);
  if (entries.length === 0) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of entries.slice(0, 50)) {
    const key = neutraliseLogValue(k).slice(0, 100);
    out[key] = SECRET_PARAMS.test(k) ? '(not logged)' : neutraliseLogValue(out[key] !== undefined ? `${out[key]},${v}` : v);
  }
  return JSON.stringify(out);
}

function row(input: AuditInput) {
  const actor = input.actor;
  return {
    at: input.at ?? Date.now(),
    actor: neutraliseLogValue(actor === null ? '-' : typeof actor === 'string' ? actor : actor.email),
    role: actor !== null && typeof actor === 'object' ? actor.role : null,
    action: input.action,
    outcome: input.outcome,
    target: neutraliseLogValue(input.target),
    filters: filtersJson(input.filters),
    detail: input.detail ? neutraliseLogValue(input.detail) : null,
    client: input.client ? neutraliseLogValue(input.client).slice(0, 100) : null,
  };
}

/** Writes the entry inside the caller's transaction. */
export function insertAudit(db: Db, input: AuditInput): void {
  const r = row(input);
  stmt(db, 'INSERT INTO audit_log (at, actor, role, action, outcome, target, filters, detail, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    r.at,
    r.actor,
    r.role,
    r.action,
    r.outcome,
    r.target,
    r.filters,
    r.detail,
    r.client,
  );
}

// Entries that met a busy database (a long import in another process) wait here, in order, and are written as soon as it is free.
const shared = globalThis as unknown as { takedownAuditQueue?: { db: Db; entries: AuditInput[]; timer: NodeJS.Timeout | null } };
const MAX_QUEUED = 100_000;

/** Records the entry now if the database is free, or as soon as it is (never blocking the request). */
export function audit(db: Db, input: AuditInput): void {
  const stamped = { ...input, at: input.at ?? Date.now() };
  const queue = shared.takedownAuditQueue;
  if (!queue || queue.entries.length === 0) {
    if (tryWrite(db, (w) => insertAudit(w, stamped))) return;
  }
  enqueue(db, stamped);
}

function enqueue(db: Db, entry: AuditInput): void {
  const queue = (shared.takedownAuditQueue ??= { db, entries: [], timer: null });
  if (queue.db !== db) {
    flushAudit();
    queue.db = db;
  }
  if (queue.entries.length >= MAX_QUEUED) {
    // Never silently: the server log keeps what the database could not take.
    console.error('audit queue full; entry written to this log only:', JSON.stringify(row(entry)));
    return;
  }
  queue.entries.push(entry);
  queue.timer ??= setTimeout(retry, 100);
}

function retry(): void {
  const queue = shared.takedownAuditQueue;
  if (!queue) return;
  queue.timer = null;
  if (!flushAudit()) queue.timer = setTimeout(retry, 250);
}

/** Writes the waiting entries; false if the database is still busy. */
export function flushAudit(): boolean {
  const queue = shared.takedownAuditQueue;
  if (!queue || queue.entries.length === 0) return true;
  const entries = queue.entries;
  const done = tryWrite(queue.db, (w) => {
    for (const e of entries) insertAudit(w, e);
  });
  if (done) queue.entries = [];
  return done !== undefined;
}

export interface AuditQuery {
  actor?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  from?: number;
  to?: number;
  page: number;
  pageSize: number;
}

export function readAudit(db: Db, q: AuditQuery) {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.actor) {
    where.push('actor = ?');
    params.push(q.actor.trim().toLowerCase() === '-' ? '-' : q.actor.trim());
  }
  if (q.action) {
    where.push('action = ?');
    params.push(q.action);
  }
  if (q.outcome) {
    where.push('outcome = ?');
    params.push(q.outcome);
  }
  if (q.from !== undefined) {
    where.push('at >= ?');
    params.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('at < ?');
    params.push(q.to);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.$client.prepare(`SELECT count(*) FROM audit_log ${clause}`).pluck().get(...params) as number;
  const rows = db.$client
    .prepare(`SELECT id, at, actor, role, action, outcome, target, filters, detail, client FROM audit_log ${clause} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as {
    id: number;
    at: number;
    actor: string;
    role: string | null;
    action: AuditAction;
    outcome: AuditOutcome;
    target: string;
    filters: string | null;
    detail: string | null;
    client: string | null;
  }[];
  return { total, rows };
}
