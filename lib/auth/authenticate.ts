// Who a request comes from: an API token (`Authorization: Bearer …`) or
// the session cookie, checked against the database on every request. Used
// by the proxy, the pages' data access layer and every route handler.
import { StoreBusyError, type Store } from '@/db/store';
import { getSettings } from '@/lib/settings';
import type { Principal } from './roles';
import { checkApiToken, checkSession, endSession, touchApiToken, touchSession, type SessionLimits } from './accounts';

export const SESSION_COOKIE = 'tm_session';

/** last_seen_at is written at most this often per session: the idle timeout is exact to within it. */
const TOUCH_EVERY_MS = 15_000;

export interface HeaderSource {
  get(name: string): string | null;
}

export function sessionLimits(): SessionLimits {
  const s = getSettings();
  return { idleMs: s.SESSION_IDLE_MINUTES * 60_000, maxMs: s.SESSION_MAX_HOURS * 3_600_000 };
}

export function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface Authentication {
  principal: Principal | null;
  /** Why credentials that were presented are not accepted (for the sign-in page), or null. */
  problem: 'session ended' | 'session expired' | 'invalid token' | null;
}

/** A bookkeeping write (last seen, session ended) made if the database is free now; skipped, never waited for, when it is busy. */
function bookkeeping(store: Store, work: (tx: Store) => Promise<void>): void {
  store.write(work, { waitMs: 0 }).catch((err: unknown) => {
    if (!(err instanceof StoreBusyError)) console.error('session bookkeeping not written:', err instanceof Error ? err.message : err);
  });
}

export async function authenticate(store: Store, headers: HeaderSource, now: number = Date.now()): Promise<Authentication> {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const found = match ? await checkApiToken(store, match[1]) : null;
    if (!found) return { principal: null, problem: 'invalid token' };
    if (found.lastUsedAt === null || now - found.lastUsedAt >= 60_000) bookkeeping(store, (tx) => touchApiToken(tx, found.principal.credentialId, now));
    return { principal: found.principal, problem: null };
  }
  const token = cookieValue(headers.get('cookie'), SESSION_COOKIE);
  if (!token) return { principal: null, problem: null };
  const check = await checkSession(store, token, now, sessionLimits());
  if (check.ok) {
    if (now - check.lastSeenAt >= TOUCH_EVERY_MS) bookkeeping(store, (tx) => touchSession(tx, check.principal.credentialId, now));
    return { principal: check.principal, problem: null };
  }
  if ((check.reason === 'idle' || check.reason === 'expired') && check.sessionId !== undefined) {
    const id = check.sessionId;
    bookkeeping(store, (tx) => endSession(tx, id, check.reason === 'idle' ? 'idle timeout' : 'lifetime reached', now));
  }
  return { principal: null, problem: check.reason === 'idle' || check.reason === 'expired' ? 'session expired' : check.reason === 'unknown' ? null : 'session ended' };
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure (browsers accept Secure cookies from http://localhost), for the session's lifetime. */
export function sessionCookie(token: string): string {
  const s = getSettings();
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${s.COOKIE_SECURE ? '; Secure' : ''}; Max-Age=${s.SESSION_MAX_HOURS * 3600}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax${getSettings().COOKIE_SECURE ? '; Secure' : ''}; Max-Age=0`;
}
