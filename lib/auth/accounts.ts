// Users, sessions and API tokens: the rules (addresses compared trimmed and
// lower-cased, a session judged by its idle and total lifetime, tokens and
// cookies stored only as hashes) over the store's access-control tables.
// The caller chooses the transaction (store.write).
import type { Role } from '@/db/codes';
import type { UserRow } from '@/db/rows';
import type { SessionLimits, Store } from '@/db/store';
import { API_TOKEN_PREFIX, randomToken, tokenHash } from './secrets';
import type { Principal } from './roles';

export type { SessionLimits, UserRow };

export class UserError extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Addresses are compared trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailProblem(email: string): string | null {
  if (email.length > 254) return 'an e-mail address has at most 254 characters';
  if (!EMAIL.test(email)) return `'${email}' is not an e-mail address`;
  return null;
}

export function findUserByEmail(store: Store, email: string): Promise<UserRow | undefined> {
  return store.users.findByEmail(normaliseEmail(email));
}

export function getUser(store: Store, id: number): Promise<UserRow | undefined> {
  return store.users.get(id);
}

export function countUsers(store: Store): Promise<number> {
  return store.users.count();
}

export function listUsers(store: Store, now: number, limits: SessionLimits) {
  return store.users.list(now, limits);
}

export async function insertUser(store: Store, user: { email: string; name: string; role: Role; passwordHash: string }, now: number): Promise<number> {
  const email = normaliseEmail(user.email);
  const problem = emailProblem(email);
  if (problem) throw new UserError(problem);
  return store.write(async (tx) => {
    if (await tx.users.findByEmail(email)) throw new UserError(`a user with the e-mail address ${email} exists already`);
    return tx.users.insert({ email, name: user.name.trim() || email, role: user.role, passwordHash: user.passwordHash }, now);
  }, { waitMs: 10_000 });
}

/** Disables the user, ends every session and revokes every API token of theirs. */
export function disableUser(store: Store, id: number, now: number): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  return store.users.disable(id, now);
}

/**
 * A new password ends every session and revokes every API token of the
 * user: a stolen session or token dies with the old password.
 */
export function setPassword(store: Store, id: number, passwordHash: string, now: number): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  return store.users.setPassword(id, passwordHash, now);
}

// Sessions ------------------------------------------------------------------

/** A new session for the user; the returned token goes into the cookie and is stored only as its hash. */
export async function createSession(store: Store, userId: number, now: number): Promise<{ token: string; id: number }> {
  const token = randomToken();
  return { token, id: await store.sessions.create(tokenHash(token), userId, now) };
}

export type SessionCheck =
  | { ok: true; principal: Principal; lastSeenAt: number }
  | { ok: false; reason: 'unknown' | 'ended' | 'disabled' | 'idle' | 'expired'; sessionId?: number };

/** The session a cookie names, judged at `now`: live, or why not. */
export async function checkSession(store: Store, token: string, now: number, limits: SessionLimits): Promise<SessionCheck> {
  const row = await store.sessions.find(tokenHash(token));
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.ended_at !== null) return { ok: false, reason: 'ended', sessionId: row.id };
  if (row.disabled_at !== null) return { ok: false, reason: 'disabled', sessionId: row.id };
  if (now - row.created_at >= limits.maxMs) return { ok: false, reason: 'expired', sessionId: row.id };
  if (now - row.last_seen_at >= limits.idleMs) return { ok: false, reason: 'idle', sessionId: row.id };
  return {
    ok: true,
    lastSeenAt: row.last_seen_at,
    principal: { userId: row.user_id, email: row.email, name: row.name, role: row.role, via: 'session', credentialId: row.id },
  };
}

export function touchSession(store: Store, id: number, now: number): Promise<void> {
  return store.sessions.touch(id, now);
}

export function endSession(store: Store, id: number, reason: string, now: number): Promise<void> {
  return store.sessions.end(id, reason, now);
}

// API tokens ----------------------------------------------------------------

export async function createApiToken(store: Store, userId: number, label: string, now: number): Promise<{ token: string; id: number }> {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  return { token, id: await store.tokens.create(tokenHash(token), userId, label, now) };
}

export async function checkApiToken(store: Store, token: string): Promise<{ principal: Principal; lastUsedAt: number | null } | null> {
  const row = await store.tokens.findLive(tokenHash(token));
  if (!row) return null;
  return { lastUsedAt: row.last_used_at, principal: { userId: row.user_id, email: row.email, name: row.name, role: row.role, via: 'token', credentialId: row.id } };
}

export function touchApiToken(store: Store, id: number, now: number): Promise<void> {
  return store.tokens.touch(id, now);
}

export function revokeApiToken(store: Store, id: number, now: number): Promise<boolean> {
  return store.tokens.revoke(id, now);
}

export function listApiTokens(store: Store) {
  return store.tokens.list();
}
