// Sign-in attempts and refusal windows (the rules are lib/auth/throttle.ts): in the database, so that they hold across app servers.
import type { AttemptFilter, RefusalWindow } from '../../store';
import { changed, rows, value, type Queryable } from '../sql';

export const emailHashKey = (q: Queryable) => value<string>(q, "SELECT value FROM app_keys WHERE name = 'email_hash'");

function where(filter: AttemptFilter): { sql: string; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  const add = (condition: string, param: string | number) => conditions.push(condition.replace('?', `$${params.push(param)}`));
  if (filter.emailKey !== undefined) add('email_key = ?', filter.emailKey);
  if (filter.client !== undefined) add('client = ?', filter.client);
  add('at > ?', filter.since);
  return { sql: conditions.join(' AND '), params };
}

export async function countAttempts(q: Queryable, filter: AttemptFilter): Promise<number> {
  const w = where(filter);
  return (await value<number>(q, `SELECT count(*) FROM sign_in_attempts WHERE ${w.sql}`, w.params)) ?? 0;
}

export function attemptAt(q: Queryable, filter: AttemptFilter, offset: number): Promise<number | undefined> {
  const w = where(filter);
  return value<number>(q, `SELECT at FROM sign_in_attempts WHERE ${w.sql} ORDER BY at DESC LIMIT 1 OFFSET $${w.params.length + 1}`, [...w.params, offset]);
}

export const lastHeldAttemptAt = async (q: Queryable, emailKey: string) =>
  (await value<number | null>(q, 'SELECT max(at) FROM sign_in_attempts WHERE email_key = $1 AND held = 1', [emailKey])) ?? null;

export const addAttempt = async (q: Queryable, emailKey: string, client: string, at: number, held: boolean) =>
  (await value<number>(q, 'INSERT INTO sign_in_attempts (email_key, client, at, held) VALUES ($1, $2, $3, $4) RETURNING id', [emailKey, client, at, held ? 1 : 0]))!;

export async function dropAttemptsBefore(q: Queryable, at: number): Promise<void> {
  await q.query('DELETE FROM sign_in_attempts WHERE at < $1', [at]);
}

export async function forgetAttempts(q: Queryable, emailKey: string, client: string): Promise<void> {
  await q.query('DELETE FROM sign_in_attempts WHERE email_key = $1 AND client = $2', [emailKey, client]);
}

export const countRefusal = async (q: Queryable, client: string, windowStart: number, now: number) =>
  (await changed(q, 'UPDATE sign_in_refusals SET count = count + 1, last_at = $1 WHERE client = $2 AND window_start = $3', [now, client, windowStart])) > 0;

export async function openRefusalWindow(q: Queryable, client: string, windowStart: number, now: number): Promise<void> {
  await q.query('INSERT INTO sign_in_refusals (client, window_start, count, first_at, last_at) VALUES ($1, $2, 1, $3, $3)', [client, windowStart, now]);
}

export const closedRefusalWindows = (q: Queryable, windowMs: number, now: number) =>
  rows<RefusalWindow>(q, 'SELECT client, window_start, count, first_at, last_at FROM sign_in_refusals WHERE window_start + $1 <= $2', [windowMs, now]);

export async function dropRefusalWindow(q: Queryable, client: string, windowStart: number): Promise<void> {
  await q.query('DELETE FROM sign_in_refusals WHERE client = $1 AND window_start = $2', [client, windowStart]);
}
