// The access-control tables: users, sessions and API tokens (sign-in
// attempts: throttle.ts). Plain synchronous statements; the caller chooses the
// transaction (the CLI waits for the lock, requests use nonblocking.ts).
import type Database from 'better-sqlite3';
import type { Db } from '@/db/sqlite/client';
import type { Role } from '@/db/codes';
import { API_TOKEN_PREFIX, randomToken, tokenHash } from './secrets';
import type { Principal } from './roles';

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

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  password_changed_at: number;
  disabled_at: number | null;
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A statement prepared once per connection (requests run the same few again and again). */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db.$client);
  if (!cache) statementCache.set(db.$client, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.$client.prepare(sql)));
  return s;
}

export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  return stmt(db, 'SELECT * FROM users WHERE email = ?').get(normaliseEmail(email)) as UserRow | undefined;
}

export function getUser(db: Db, id: number): UserRow | undefined {
  return stmt(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function countUsers(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM users').pluck().get() as number;
}

export function listUsers(db: Db, now: number, limits: SessionLimits) {
  return stmt(
    db,
    `SELECT u.id, u.email, u.name, u.role, u.created_at, u.disabled_at,
       (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.ended_at IS NULL AND s.created_at > ? AND s.last_seen_at > ?) AS active_sessions,
       (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in,
       (SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS api_tokens
     FROM users u ORDER BY u.email`,
  ).all(now - limits.maxMs, now - limits.idleMs) as {
    id: number;
    email: string;
    name: string;
    role: Role;
    created_at: number;
    disabled_at: number | null;
    active_sessions: number;
    last_sign_in: number | null;
    api_tokens: number;
  }[];
}

export function insertUser(db: Db, user: { email: string; name: string; role: Role; passwordHash: string }, now: number): number {
  const email = normaliseEmail(user.email);
  const problem = emailProblem(email);
  if (problem) throw new UserError(problem);
  if (findUserByEmail(db, email)) throw new UserError(`a user with the e-mail address ${email} exists already`);
  const name = user.name.trim() || email;
  return Number(
    stmt(db, 'INSERT INTO users (email, name, role, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?)').run(email, name, user.role, user.passwordHash, now, now)
      .lastInsertRowid,
  );
}

/** Disables the user, ends every session and revokes every API token of theirs. */
export function disableUser(db: Db, id: number, now: number): { sessionsEnded: number; tokensRevoked: number } {
  stmt(db, 'UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(now, id);
  return { sessionsEnded: endUserSessions(db, id, 'user disabled', now), tokensRevoked: revokeUserTokens(db, id, now) };
}

/**
 * A new password ends every session and revokes every API token of the
 * user: a stolen session or token dies with the old password.
 */
export function setPassword(db: Db, id: number, passwordHash: string, now: number): { sessionsEnded: number; tokensRevoked: number } {
  stmt(db, 'UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?').run(passwordHash, now, id);
  return { sessionsEnded: endUserSessions(db, id, 'password reset', now), tokensRevoked: revokeUserTokens(db, id, now) };
}

function revokeUserTokens(db: Db, userId: number, now: number): number {
  return stmt(db, 'UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId).changes;
}

function endUserSessions(db: Db, userId: number, reason: string, now: number): number {
  return stmt(db, 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL').run(now, reason, userId).changes;
}

// Sessions ------------------------------------------------------------------

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

/** A new session for the user; the returned token goes into the cookie and is stored only as its hash. */
export function createSession(db: Db, userId: number, now: number): { token: string; id: number } {
  const token = randomToken();
  const id = Number(stmt(db, 'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(tokenHash(token), userId, now, now).lastInsertRowid);
  return { token, id };
}

export type SessionCheck =
  | { ok: true; principal: Principal; lastSeenAt: number }
  | { ok: false; reason: 'unknown' | 'ended' | 'disabled' | 'idle' | 'expired'; sessionId?: number };

/** The session a cookie names, judged at `now`: live, or why not. */
export function checkSession(db: Db, token: string, now: number, limits: SessionLimits): SessionCheck {
  const row = stmt(
    db,
    `SELECT s.id, s.created_at, s.last_seen_at, s.ended_at, u.id AS user_id, u.email, u.name, u.role, u.disabled_at
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
  ).get(tokenHash(token)) as
    | { id: number; created_at: number; last_seen_at: number; ended_at: number | null; user_id: number; email: string; name: string; role: Role; disabled_at: number | null }
    | undefined;
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

export function touchSession(db: Db, id: number, now: number): void {
  stmt(db, 'UPDATE sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL AND last_seen_at < ?').run(now, id, now);
}

export function endSession(db: Db, id: number, reason: string, now: number): void {
  stmt(db, 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL').run(now, reason, id);
}

// API tokens ----------------------------------------------------------------

export function createApiToken(db: Db, userId: number, label: string, now: number): { token: string; id: number } {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  const id = Number(stmt(db, 'INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)').run(tokenHash(token), userId, label, now).lastInsertRowid);
  return { token, id };
}

export function checkApiToken(db: Db, token: string): { principal: Principal; lastUsedAt: number | null } | null {
  const row = stmt(
    db,
    `SELECT t.id, t.last_used_at, u.id AS user_id, u.email, u.name, u.role
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
  ).get(tokenHash(token)) as { id: number; last_used_at: number | null; user_id: number; email: string; name: string; role: Role } | undefined;
  if (!row) return null;
  return { lastUsedAt: row.last_used_at, principal: { userId: row.user_id, email: row.email, name: row.name, role: row.role, via: 'token', credentialId: row.id } };
}

export function touchApiToken(db: Db, id: number, now: number): void {
  stmt(db, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, id);
}

export function revokeApiToken(db: Db, id: number, now: number): boolean {
  return stmt(db, 'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
}

export function listApiTokens(db: Db) {
  return stmt(db, 'SELECT t.id, u.email, t.label, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id').all() as {
    id: number;
    email: string;
    label: string;
    created_at: number;
    last_used_at: number | null;
    revoked_at: number | null;
  }[];
}
