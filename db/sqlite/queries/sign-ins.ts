// Sign-in attempts and refusal windows (the rules are lib/auth/throttle.ts).
import type { AttemptFilter, RefusalWindow } from '../../store';
import type { Db } from '../client';
import { stmt } from '../statements';

export function emailHashKey(db: Db): string | undefined {
  return stmt(db, "SELECT value FROM app_keys WHERE name = 'email_hash'").pluck().get() as string | undefined;
}

function where(filter: AttemptFilter): { sql: string; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (filter.emailKey !== undefined) {
    conditions.push('email_key = ?');
    params.push(filter.emailKey);
  }
  if (filter.client !== undefined) {
    conditions.push('client = ?');
    params.push(filter.client);
  }
  conditions.push('at > ?');
  params.push(filter.since);
  return { sql: conditions.join(' AND '), params };
}

export function countAttempts(db: Db, filter: AttemptFilter): number {
  const w = where(filter);
  return stmt(db, `SELECT count(*) FROM sign_in_attempts WHERE ${w.sql}`).pluck().get(...w.params) as number;
}

export function attemptAt(db: Db, filter: AttemptFilter, offset: number): number | undefined {
  const w = where(filter);
  return stmt(db, `SELECT at FROM sign_in_attempts WHERE ${w.sql} ORDER BY at DESC LIMIT 1 OFFSET ?`).pluck().get(...w.params, offset) as number | undefined;
}

export function lastHeldAttemptAt(db: Db, emailKey: string): number | null {
  return stmt(db, 'SELECT max(at) FROM sign_in_attempts WHERE email_key = ? AND held = 1').pluck().get(emailKey) as number | null;
}

export function addAttempt(db: Db, emailKey: string, client: string, at: number, held: boolean): number {
  return Number(stmt(db, 'INSERT INTO sign_in_attempts (email_key, client, at, held) VALUES (?, ?, ?, ?)').run(emailKey, client, at, held ? 1 : 0).lastInsertRowid);
}

export function dropAttemptsBefore(db: Db, at: number): void {
  stmt(db, 'DELETE FROM sign_in_attempts WHERE at < ?').run(at);
}

export function forgetAttempts(db: Db, emailKey: string, client: string): void {
  stmt(db, 'DELETE FROM sign_in_attempts WHERE email_key = ? AND client = ?').run(emailKey, client);
}

export function countRefusal(db: Db, client: string, windowStart: number, now: number): boolean {
  return stmt(db, 'UPDATE sign_in_refusals SET count = count + 1, last_at = ? WHERE client = ? AND window_start = ?').run(now, client, windowStart).changes > 0;
}

export function openRefusalWindow(db: Db, client: string, windowStart: number, now: number): void {
  stmt(db, 'INSERT INTO sign_in_refusals (client, window_start, count, first_at, last_at) VALUES (?, ?, 1, ?, ?)').run(client, windowStart, now, now);
}

export function closedRefusalWindows(db: Db, windowMs: number, now: number): RefusalWindow[] {
  return stmt(db, 'SELECT client, window_start, count, first_at, last_at FROM sign_in_refusals WHERE window_start + ? <= ?').all(windowMs, now) as RefusalWindow[];
}

export function dropRefusalWindow(db: Db, client: string, windowStart: number): void {
  stmt(db, 'DELETE FROM sign_in_refusals WHERE client = ? AND window_start = ?').run(client, windowStart);
}
