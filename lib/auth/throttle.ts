// Throttling of sign-ins (issue 14). Every attempt is counted in the same
// write transaction as the check, before its password is verified, so that
// however many attempts arrive at once, on one app server or several
// sharing the database, no more verifications run than the rules allow.
//
// The rules, over the last SIGN_IN_LOCK_MINUTES (the window):
// - a client address may make SIGN_IN_MAX_FAILURES attempts at one e-mail
//   address, and SIGN_IN_CLIENT_MAX_FAILURES attempts over all addresses;
// - an address with SIGN_IN_MAX_FAILURES attempts from all clients is held:
//   it may then be tried only from a client address with no attempt in the
//   window, and only once every SIGN_IN_HELD_INTERVAL_SECONDS. So nobody
//   can keep the rightful user out by failing on purpose (they sign in from
//   their own address, at worst after that interval), and the attempts at
//   one address stay bounded: SIGN_IN_MAX_FAILURES plus one an interval.
// A successful sign-in forgets the attempts of its own client at that
// address (not those of others). Refusals are not written to the audit
// trail one by one: the first of a client in a window is, the rest are
// counted and written as one entry once the window has passed.
import { createHmac } from 'node:crypto';
import { getDb, type Db } from '@/db/sqlite/client';
import { getSettings, type Settings } from '@/lib/settings';
import { insertAudit } from './audit';
import { tryWrite } from './nonblocking';
import { stmt } from './store';

export type ThrottleDecision = { allowed: true; attemptId: number } | { allowed: false; retryAfterSeconds: number; why: string };

type Limits = Pick<Settings, 'SIGN_IN_MAX_FAILURES' | 'SIGN_IN_LOCK_MINUTES' | 'SIGN_IN_CLIENT_MAX_FAILURES' | 'SIGN_IN_HELD_INTERVAL_SECONDS'>;

const DAY_MS = 24 * 3600_000;

/** The keyed hash of a typed address: equal for equal addresses, and no way back to the text. */
export function emailKey(db: Db, email: string): string {
  const key = stmt(db, "SELECT value FROM app_keys WHERE name = 'email_hash'").pluck().get() as string | undefined;
  if (!key) throw new Error('the database has no key for e-mail hashes (migration 0003 not applied)');
  return createHmac('sha256', key).update(email).digest('hex').slice(0, 32);
}

function count(db: Db, sql: string, ...params: (string | number)[]): number {
  return stmt(db, sql).pluck().get(...params) as number;
}

/**
 * Checks whether an attempt at `email` from `client` may be verified now and,
 * if so, counts it. Must run inside a write transaction (BEGIN IMMEDIATE):
 * that is what makes check and count one step for every process.
 */
export function admitAttempt(db: Db, email: string, client: string, now: number, limits: Limits = getSettings()): ThrottleDecision {
  const windowMs = limits.SIGN_IN_LOCK_MINUTES * 60_000;
  const since = now - windowMs;
  const key = emailKey(db, email);
  const waitFor = (sql: string, ...params: (string | number)[]) => {
    // The attempt whose leaving the window frees a place.
    const at = stmt(db, sql).pluck().get(...params) as number | undefined;
    return Math.max(1, Math.ceil(((at ?? now) + windowMs - now) / 1000));
  };
  const fromClient = count(db, 'SELECT count(*) FROM sign_in_attempts WHERE client = ? AND at > ?', client, since);
  if (fromClient >= limits.SIGN_IN_CLIENT_MAX_FAILURES)
    return {
      allowed: false,
      why: 'too many failed sign-ins from this network address',
      retryAfterSeconds: waitFor('SELECT at FROM sign_in_attempts WHERE client = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?', client, since, limits.SIGN_IN_CLIENT_MAX_FAILURES - 1),
    };
  const pair = count(db, 'SELECT count(*) FROM sign_in_attempts WHERE email_key = ? AND client = ? AND at > ?', key, client, since);
  if (pair >= limits.SIGN_IN_MAX_FAILURES)
    return {
      allowed: false,
      why: 'too many failed sign-ins for this address from this network address',
      retryAfterSeconds: waitFor('SELECT at FROM sign_in_attempts WHERE email_key = ? AND client = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?', key, client, since, limits.SIGN_IN_MAX_FAILURES - 1),
    };
  const atAddress = count(db, 'SELECT count(*) FROM sign_in_attempts WHERE email_key = ? AND at > ?', key, since);
  let held = 0;
  if (atAddress >= limits.SIGN_IN_MAX_FAILURES) {
    // Held: only a client address that has not failed, and one attempt an interval.
    if (fromClient > 0)
      return {
        allowed: false,
        why: 'this address is held after failed sign-ins, and this network address has failed too',
        retryAfterSeconds: waitFor('SELECT at FROM sign_in_attempts WHERE client = ? AND at > ? ORDER BY at DESC LIMIT 1', client, since),
      };
    const intervalMs = limits.SIGN_IN_HELD_INTERVAL_SECONDS * 1000;
    const lastHeld = stmt(db, 'SELECT max(at) FROM sign_in_attempts WHERE email_key = ? AND held = 1').pluck().get(key) as number | null;
    if (lastHeld !== null && now - lastHeld < intervalMs)
      return { allowed: false, why: 'this address is held after failed sign-ins: one attempt an interval', retryAfterSeconds: Math.max(1, Math.ceil((lastHeld + intervalMs - now) / 1000)) };
    held = 1;
  }
  const attemptId = Number(stmt(db, 'INSERT INTO sign_in_attempts (email_key, client, at, held) VALUES (?, ?, ?, ?)').run(key, client, now, held).lastInsertRowid);
  // Attempts older than a day count for nothing: keep the table small.
  stmt(db, 'DELETE FROM sign_in_attempts WHERE at < ?').run(now - DAY_MS);
  return { allowed: true, attemptId };
}

/** After a successful sign-in: the attempts of this client at this address are forgotten. */
export function forgetAttempts(db: Db, email: string, client: string): void {
  stmt(db, 'DELETE FROM sign_in_attempts WHERE email_key = ? AND client = ?').run(emailKey(db, email), client);
}

/**
 * Records a refused attempt: the first of a client in a window goes into
 * the audit trail at once, later ones only raise a count (inside the
 * caller's write transaction). `actor` is what the audit trail may show of
 * the typed address.
 */
export function countRefusal(db: Db, client: string, actor: string, why: string, now: number, limits: Pick<Settings, 'SIGN_IN_LOCK_MINUTES'> = getSettings()): void {
  const windowMs = limits.SIGN_IN_LOCK_MINUTES * 60_000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const changed = stmt(db, 'UPDATE sign_in_refusals SET count = count + 1, last_at = ? WHERE client = ? AND window_start = ?').run(now, client, windowStart).changes;
  if (changed > 0) return;
  stmt(db, 'INSERT INTO sign_in_refusals (client, window_start, count, first_at, last_at) VALUES (?, ?, 1, ?, ?)').run(client, windowStart, now, now);
  insertAudit(db, {
    actor,
    action: 'sign_in',
    outcome: 'refused',
    target: '/sign-in',
    client,
    detail: `throttled: ${why} (further refusals from this network address until ${new Date(windowStart + windowMs).toISOString()} are counted in one entry)`,
    at: now,
  });
}

/**
 * Writes one audit entry for each client and past window with refusals
 * after the first, and forgets the counts (inside a write transaction).
 * Returns how many entries were written.
 */
export function closeRefusalWindows(db: Db, now: number, limits: Pick<Settings, 'SIGN_IN_LOCK_MINUTES'> = getSettings()): number {
  const windowMs = limits.SIGN_IN_LOCK_MINUTES * 60_000;
  const closed = stmt(db, 'SELECT client, window_start, count, first_at, last_at FROM sign_in_refusals WHERE window_start + ? <= ?').all(windowMs, now) as {
    client: string;
    window_start: number;
    count: number;
    first_at: number;
    last_at: number;
  }[];
  let written = 0;
  for (const w of closed) {
    if (w.count > 1) {
      insertAudit(db, {
        actor: '-',
        action: 'sign_in',
        outcome: 'refused',
        target: '/sign-in',
        client: w.client,
        detail: `throttled: ${w.count - 1} further refused sign-ins from this network address between ${new Date(w.first_at).toISOString()} and ${new Date(w.last_at).toISOString()}`,
        at: w.window_start + windowMs,
      });
      written++;
    }
    stmt(db, 'DELETE FROM sign_in_refusals WHERE client = ? AND window_start = ?').run(w.client, w.window_start);
  }
  return written;
}

/** closeRefusalWindows on the app's database if it is free right now (never waiting for an import's lock). */
export function closeRefusalWindowsSoon(): void {
  try {
    tryWrite(getDb(), (w) => closeRefusalWindows(w, Date.now()));
  } catch (err) {
    console.error('Could not write the counts of refused sign-ins:', err instanceof Error ? err.message : err);
  }
}
