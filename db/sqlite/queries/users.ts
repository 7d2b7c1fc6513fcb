// Users, sessions and API tokens (the access-control tables).
import type { Role } from '../../codes';
import type { UserRow } from '../../rows';
import type { SessionLimits, SessionRow, TokenListRow, TokenRow, UserListRow } from '../../store';
import type { Db } from '../client';
import { stmt } from '../statements';

export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  return stmt(db, 'SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
}

export function getUser(db: Db, id: number): UserRow | undefined {
  return stmt(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function countUsers(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM users').pluck().get() as number;
}

export function listUsers(db: Db, now: number, limits: SessionLimits): UserListRow[] {
  return stmt(
    db,
    `SELECT u.id, u.email, u.name, u.role, u.created_at, u.disabled_at,
       (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.ended_at IS NULL AND s.created_at > ? AND s.last_seen_at > ?) AS active_sessions,
       (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in,
       (SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS api_tokens
     FROM users u ORDER BY u.email`,
  ).all(now - limits.maxMs, now - limits.idleMs) as UserListRow[];
}

export function insertUser(db: Db, user: { email: string; name: string; role: Role; passwordHash: string }, now: number): number {
  const sql = 'INSERT INTO users (email, name, role, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?)';
  return Number(stmt(db, sql).run(user.email, user.name, user.role, user.passwordHash, now, now).lastInsertRowid);
}

export function disableUser(db: Db, id: number, now: number): { sessionsEnded: number; tokensRevoked: number } {
  stmt(db, 'UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(now, id);
  return { sessionsEnded: endUserSessions(db, id, 'user disabled', now), tokensRevoked: revokeUserTokens(db, id, now) };
}

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

export function createSession(db: Db, tokenHash: string, userId: number, now: number): number {
  return Number(stmt(db, 'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, now, now).lastInsertRowid);
}

export function findSession(db: Db, tokenHash: string): SessionRow | undefined {
  return stmt(
    db,
    `SELECT s.id, s.created_at, s.last_seen_at, s.ended_at, u.id AS user_id, u.email, u.name, u.role, u.disabled_at
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
  ).get(tokenHash) as SessionRow | undefined;
}

export function touchSession(db: Db, id: number, now: number): void {
  stmt(db, 'UPDATE sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL AND last_seen_at < ?').run(now, id, now);
}

export function endSession(db: Db, id: number, reason: string, now: number): void {
  stmt(db, 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL').run(now, reason, id);
}

export function createApiToken(db: Db, tokenHash: string, userId: number, label: string, now: number): number {
  return Number(stmt(db, 'INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, label, now).lastInsertRowid);
}

export function findLiveToken(db: Db, tokenHash: string): TokenRow | undefined {
  return stmt(
    db,
    `SELECT t.id, t.last_used_at, u.id AS user_id, u.email, u.name, u.role
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
  ).get(tokenHash) as TokenRow | undefined;
}

export function touchApiToken(db: Db, id: number, now: number): void {
  stmt(db, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, id);
}

export function revokeApiToken(db: Db, id: number, now: number): boolean {
  return stmt(db, 'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
}

export function listApiTokens(db: Db): TokenListRow[] {
  return stmt(db, 'SELECT t.id, u.email, t.label, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id').all() as TokenListRow[];
}
