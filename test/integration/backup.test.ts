// Backups and restores (npm run backup / restore), a restore drill, and the
// refusals: a file that fails integrity_check, a foreign file, and a
// corrupt or foreign file at DATABASE_PATH at start.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import { DATA_VERSION_KEY, GENERATION_KEY } from '@/db/sqlite/queries/facts';
import { StoreOpenError } from '@/db/store';
import { seedDemo } from '@/lib/demo/seed';
import { importFile } from '@/lib/import/import';
import { count, FIXTURE_CSV, tempDir, writeTemp } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

function run(script: string, args: string[], databasePath: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', script), ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_PATH: databasePath } });
}

const TABLES = ['platforms', 'groups', 'units', 'campaigns', 'referrals', 'referral_history', 'import_batches', 'meta', '__drizzle_migrations'];

/** Row counts and a checksum of every table, in primary-key order (the data version aside: a restore moves it on purpose). */
function snapshot(db: SqliteStore): Record<string, string> {
  return Object.fromEntries(
    TABLES.map((t) => {
      const rows = db.db.$client.prepare(`SELECT * FROM ${t} ${t === 'meta' ? `WHERE key NOT IN ('${DATA_VERSION_KEY}', '${GENERATION_KEY}')` : ''} ORDER BY 1`).raw().all();
      return [t, `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`];
    }),
  );
}

describe('npm run backup and npm run restore', () => {
  it('restore a backup exactly (the drill): row counts and a checksum of every table, while a server would be running', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live.db');
    const db = SqliteStore.open(live);
    await seedDemo(db, { rows: 3000, seed: 2 });
    await importFile(db, FIXTURE_CSV);
    const original = snapshot(db);
    // A reader holds the database open throughout, as the app does.
    const reader = SqliteStore.open(live);
    const backupFile = path.join(dir, 'backup.db');
    const backup = run('backup.ts', [backupFile], live);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up .*live\.db to .*backup\.db: 3,024 referrals, 2 import batches, [\d.]+ MiB, integrity_check ok/);
    // Changes after the backup...
    expect((await importFile(db, writeTemp('later.csv', csvOf([validRow({ referral_id: 'LATER-1' })])))).status).toBe('committed');
    expect(count(db, 'referrals')).toBe(3025);
    const versionBefore = await reader.facts.dataVersion();
    const generationBefore = await reader.meta.get(GENERATION_KEY);
    // ...are gone after the restore; every table is as it was.
    const restore = run('restore.ts', [backupFile], live);
    expect(restore.stderr).toBe('');
    expect(restore.status).toBe(0);
    expect(restore.stdout).toMatch(/Restored .*live\.db from .*backup\.db: 3,024 referrals, 2 import batches\./);
    expect(snapshot(reader)).toEqual(original);
    expect(count(reader, 'referrals')).toBe(3024);
    // The data version moved on, so every server reads the restored data again.
    expect(await reader.facts.dataVersion()).toBeGreaterThan(versionBefore);
    // And its batches are another history: a new generation, so no server applies changes since one of its batches to it.
    expect(await reader.meta.get(GENERATION_KEY)).toMatch(/^[0-9a-f]{32}$/);
    expect(await reader.meta.get(GENERATION_KEY)).not.toBe(generationBefore);
    expect((reader.db.$client.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check).toBe('ok');
    reader.db.$client.close();
    db.db.$client.close();
  }, 120_000);

  it('never overwrites a file with a backup', () => {
    const dir = tempDir();
    const live = path.join(dir, 'live.db');
    SqliteStore.open(live).db.$client.close();
    fs.writeFileSync(path.join(dir, 'taken.db'), 'precious');
    const result = run('backup.ts', [path.join(dir, 'taken.db')], live);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/taken\.db exists already: choose a new file name/);
    expect(fs.readFileSync(path.join(dir, 'taken.db'), 'utf8')).toBe('precious');
  });

  it('refuses to restore a corrupt file, a file that is no database and a foreign database, changing nothing', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live.db');
    const db = SqliteStore.open(live);
    await importFile(db, FIXTURE_CSV);
    const original = snapshot(db);
    // A real backup with a page in the middle overwritten: integrity_check fails.
    const good = path.join(dir, 'good.db');
    const big = SqliteStore.open(path.join(dir, 'big.db'));
    await seedDemo(big, { rows: 2000, seed: 4 });
    big.db.$client.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    big.db.$client.close();
    fs.copyFileSync(path.join(dir, 'big.db'), good);
    const corrupt = path.join(dir, 'corrupt.db');
    const bytes = fs.readFileSync(good);
    bytes.fill(0x5a, 4096 * 20, 4096 * 24);
    fs.writeFileSync(corrupt, bytes);
    const text = writeTemp('notes.db', 'not a database at all');
    const foreign = path.join(dir, 'foreign.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);');
    other.close();
    for (const [file, reason] of [
      [corrupt, /fails integrity_check/],
      [text, /cannot be opened|fails integrity_check/],
      [foreign, /is not a Takedown Monitor database \(it has no __drizzle_migrations table\)/],
      [path.join(dir, 'missing.db'), /does not exist/],
    ] as const) {
      const result = run('restore.ts', [file], live);
      expect(result.status, `${file}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toMatch(/^Restore refused: /);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toMatch(/is unchanged\./);
      expect(snapshot(db)).toEqual(original);
    }
    db.db.$client.close();
  }, 120_000);
});

describe('the database file at start', () => {
  it('refuses a corrupt file or a foreign database with a clear message, and writes nothing into it', () => {
    const notDb = writeTemp('garbage.db', Buffer.alloc(8192, 7));
    expect(() => SqliteStore.open(notDb)).toThrow(StoreOpenError);
    expect(() => SqliteStore.open(notDb)).toThrow(/is not a SQLite database \(or is encrypted or corrupt\)/);
    const foreign = path.join(tempDir(), 'other-app.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    other.close();
    expect(() => SqliteStore.open(foreign)).toThrow(/holds tables of another application \(invoices\), not Takedown Monitor's/);
    const after = new Database(foreign, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['invoices']);
    after.close();
  });

  it('npm run db:migrate refuses such a file in words, without a stack trace', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'migrate.ts')], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_PATH: writeTemp('garbage2.db', Buffer.alloc(8192, 7)) },
    });
    expect(result.status).not.toBe(0);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^Cannot open the database at .*garbage2\.db: the file is not a SQLite database \(or is encrypted or corrupt\)\.$/);
  });
});
