import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import { StoreOpenError } from '@/db/store';
import { memoryDb, tempDir } from '../helpers/db';

describe('migrations', () => {
  it('create every table on an in-memory database', () => {
    const db = memoryDb();
    const tables = db.db.$client
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['api_tokens', 'app_keys', 'audit_log', 'campaigns', 'groups', 'import_batches', 'import_errors', 'meta', 'platforms', 'referral_history', 'referrals', 'sessions', 'sign_in_attempts', 'sign_in_refusals', 'units', 'users']);
  });

  it('are applied once: opening again changes nothing', () => {
    const file = path.join(tempDir(), 'twice.db');
    SqliteStore.open(file).db.$client.close();
    const db = SqliteStore.open(file);
    const applied = db.db.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
    const files = fs.readdirSync(path.join(process.cwd(), 'db', 'sqlite', 'migrations')).filter((f) => f.endsWith('.sql'));
    expect(applied).toBe(files.length);
  });

  it('make referral history append-only', () => {
    const db = memoryDb();
    const sqlite = db.db.$client;
    sqlite.exec(
      "INSERT INTO import_batches (file_name, sha256, format, actor, started_at, finished_at, status, rows, inserted, updated, unchanged, rejected, error_count) VALUES ('f', 'x', 'csv', 't', 0, 0, 'committed', 0, 0, 0, 0, 0, 0)",
    );
    sqlite.exec("INSERT INTO referral_history (referral_id, batch_id, field, old_value, new_value) VALUES ('R-1', 1, 'outcome', 'pending', 'removed')");
    expect(() => sqlite.exec("UPDATE referral_history SET new_value = 'rejected'")).toThrow(/append-only/);
    expect(() => sqlite.exec('DELETE FROM referral_history')).toThrow(/append-only/);
    expect(sqlite.prepare('SELECT new_value FROM referral_history').pluck().get()).toBe('removed');
  });

  it('index the aggregations of METRICS.md (checked with EXPLAIN QUERY PLAN)', () => {
    const db = memoryDb();
    const plan = (sql: string) =>
      (db.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT count(*) FROM referrals WHERE referred_at >= 1 AND referred_at < 2')).toMatch(/USING (COVERING )?INDEX referrals_referred_at/);
    expect(plan("SELECT count(*) FROM referrals WHERE platform = 'a' AND referred_at >= 1")).toMatch(/INDEX referrals_platform_referred_at/);
    expect(plan("SELECT count(*) FROM referrals WHERE group_code = 'a' AND referred_at >= 1")).toMatch(/INDEX referrals_group_referred_at/);
    expect(plan("SELECT count(*) FROM referrals WHERE language = 'ar' AND referred_at >= 1")).toMatch(/INDEX referrals_language_referred_at/);
    expect(plan('SELECT platform, count(*) FROM referrals GROUP BY platform')).not.toMatch(/TEMP B-TREE/);
    expect(plan("SELECT referral_id FROM referrals WHERE content_hash = 'h1'")).toMatch(/INDEX referrals_content_hash/);
    expect(plan("SELECT 1 FROM referrals WHERE referral_id = 'x'")).toMatch(/INDEX referrals_referral_id/);
  });
});

describe('opening a database file', () => {
  it('creates the folder and sets WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const file = path.join(tempDir(), 'nested', 'folder', 'takedown.db');
    const db = SqliteStore.open(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.db.$client.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.db.$client.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
  });

  it('refuses a file that is not a SQLite database with a clear message', () => {
    const file = path.join(tempDir(), 'foreign.db');
    fs.writeFileSync(file, 'this is a spreadsheet, not a database\n'.repeat(200));
    expect(() => SqliteStore.open(file)).toThrow(StoreOpenError);
    expect(() => SqliteStore.open(file)).toThrow(/not a SQLite database/);
  });
});
