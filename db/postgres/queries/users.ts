// Users, sessions and API tokens (the access-control tables), shared by every app server.
import type { Role } from '../../codes';
import type { UserRow } from '../../rows';
import type { SessionLimits, SessionRow, TokenListRow, TokenRow, UserListRow } from '../../store';
import { changed, first, rows, value, type Queryable } from '../sql';

export const findUserByEmail = (q: Queryable, email: string) => first<UserRow>(q, 'SELECT * FROM users WHERE email = $1', [email]);

export const getUser = (q: Queryable, id: number) => first<UserRow>(q, 'SELECT * FROM users WHERE id = $1', [id]);

export const countUsers = async (q: Queryable) => (await value<number>(q, 'SELECT count(*) FROM users')) ?? 0;

export function listUsers(q: Queryable, now: number, limits: SessionLimits): Promise<UserListRow[]> {
  return rows<UserListRow>(
    q,
    `SELECT u.id, u.email, u.name, u.role, u.created_at, u.disabled_at,
       (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.ended_at IS NULL AND s.created_at > $1 AND s.last_seen_at > $2) AS active_sessions,
       (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in,
       (SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS api_tokens
     FROM users u ORDER BY u.email`,
    [now - limits.maxMs, now - limits.idleMs],
  );
}

export async function insertUser(q: Queryable, user: { email: string; name: string; role: Role; passwordHash: string }, now: number): Promise<number> {
  const sql = 'INSERT INTO users (email, name, role, password_hash, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id';
  return (await value<number>(q, sql, [user.email, user.name, user.role, user.passwordHash, now]))!;
}

export async function disableUser(q: Queryable, id: number, now: number): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  await q.query('UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL', [now, id]);
  return { sessionsEnded: await endUserSessions(q, id, 'user disabled', now), tokensRevoked: await revokeUserTokens(q, id, now) };
}

export async function setPassword(q: Queryable, id: number, passwordHash: string, now: number): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  await q.query('UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3', [passwordHash, now, id]);
  return { sessionsEnded: await endUserSessions(q, id, 'password reset', now), tokensRevoked: await revokeUserTokens(q, id, now) };
}

const revokeUserTokens = (q: Queryable, userId: number, now: number) =>
  changed(q, 'UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [now, userId]);

const endUserSessions = (q: Queryable, userId: number, reason: string, now: number) =>
  changed(q, 'UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE user_id = $3 AND ended_at IS NULL', [now, reason, userId]);

export const createSession = async (q: Queryable, tokenHash: string, userId: number, now: number) =>
  (await value<number>(q, 'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3) RETURNING id', [tokenHash, userId, now]))!;

export const findSession = (q: Queryable, tokenHash: string) =>
  first<SessionRow>(
    q,
    `SELECT s.id, s.created_at, s.last_seen_at, s.ended_at, u.id AS user_id, u.email, u.name, u.role, u.disabled_at
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
    [tokenHash],
  );

export async function touchSession(q: Queryable, id: number, now: number): Promise<void> {
  await q.query('UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND ended_at IS NULL AND last_seen_at < $1', [now, id]);
}

export async function endSession(q: Queryable, id: number, reason: string, now: number): Promise<void> {
  await q.query('UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL', [now, reason, id]);
}

export const createApiToken = async (q: Queryable, tokenHash: string, userId: number, label: string, now: number) =>
  (await value<number>(q, 'INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [tokenHash, userId, label, now]))!;

export const findLiveToken = (q: Queryable, tokenHash: string) =>
  first<TokenRow>(
    q,
    `SELECT t.id, t.last_used_at, u.id AS user_id, u.email, u.name, u.role
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
    [tokenHash],
  );

export async function touchApiToken(q: Queryable, id: number, now: number): Promise<void> {
  await q.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [now, id]);
}

export const revokeApiToken = async (q: Queryable, id: number, now: number) =>
  (await changed(q, 'UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id])) === 1;

export const listApiTokens = (q: Queryable) =>
  rows<TokenListRow>(q, 'SELECT t.id, u.email, t.label, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id');
