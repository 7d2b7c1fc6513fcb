// The audit trail (issue 6): who did what, when, to what, under which
// filters. Append-only (triggers refuse UPDATE and DELETE). Values are
// neutralised: control characters and bidirectional overrides are written
// as visible escapes, so that a logged value can neither forge a line nor
// reorder what a reader sees. Passwords and tokens are never passed here.
import { StoreBusyError, type AuditRow, type Store } from '@/db/store';
import type { Principal } from './roles';

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

function row(input: AuditInput): AuditRow {
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

/** Writes the entry inside the caller's transaction (or as a write of its own). */
export function insertAudit(store: Store, input: AuditInput): Promise<void> {
  return store.audit.append([row(input)]);
}

// Entries that met a busy database (a long import in another process) wait here, in order, and are written as soon as it is free.
const shared = globalThis as unknown as { takedownAuditQueue?: { store: Store; entries: AuditInput[]; timer: NodeJS.Timeout | null; flushing: Promise<boolean> | null } };
const MAX_QUEUED = 100_000;

/** Records the entry now if the database is free, or as soon as it is (never holding up the request). */
export function audit(store: Store, input: AuditInput): void {
  const stamped = { ...input, at: input.at ?? Date.now() };
  const queue = shared.takedownAuditQueue;
  if (queue && queue.entries.length > 0 && queue.store === store) {
    enqueue(store, stamped);
    return;
  }
  store.write((tx) => insertAudit(tx, stamped), { waitMs: 0 }).catch((err: unknown) => {
    if (err instanceof StoreBusyError) enqueue(store, stamped);
    else console.error('audit entry not written:', err instanceof Error ? err.message : err, JSON.stringify(row(stamped)));
  });
}

function enqueue(store: Store, entry: AuditInput): void {
  const queue = (shared.takedownAuditQueue ??= { store, entries: [], timer: null, flushing: null });
  if (queue.store !== store) {
    void flushAudit();
    queue.store = store;
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
  void flushAudit().then((done) => {
    if (!done) queue.timer ??= setTimeout(retry, 250);
  });
}

/** Writes the waiting entries; false if the database is still busy. */
export function flushAudit(): Promise<boolean> {
  const queue = shared.takedownAuditQueue;
  if (!queue || queue.entries.length === 0) return Promise.resolve(true);
  if (queue.flushing) return queue.flushing;
  const entries = queue.entries;
  queue.entries = [];
  queue.flushing = queue.store
    .write((tx) => tx.audit.append(entries.map(row)), { waitMs: 0 })
    .then(
      () => true,
      (err: unknown) => {
        // Still busy (or failing): the entries wait, ahead of any that came since.
        queue.entries = [...entries, ...queue.entries];
        if (!(err instanceof StoreBusyError)) console.error('audit entries not written yet:', err instanceof Error ? err.message : err);
        return false;
      },
    )
    .finally(() => {
      queue.flushing = null;
    });
  return queue.flushing;
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

export async function readAudit(store: Store, q: AuditQuery) {
  const { total, rows } = await store.audit.read({ ...q, actor: q.actor === undefined ? undefined : q.actor.trim().toLowerCase() === '-' ? '-' : q.actor.trim() });
  return { total, rows: rows as (AuditRow & { id: number; action: AuditAction; outcome: AuditOutcome })[] };
}
