// A process importing a large file is killed with SIGKILL at a random
// moment, on each engine: the database must be intact and the batch wholly present or
// wholly absent, never half-written.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, tempDir } from '../helpers/db';
import { knowUrl, sqlRows, sqlValue } from '../helpers/engines';
import { freshPostgresStore, POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from '../helpers/postgres';

const ROWS = 120_000;
let csv: string;

beforeAll(() => {
  csv = path.join(tempDir(), 'large.csv');
  writeDemoCsv(csv, { rows: ROWS, seed: 99 });
});

function importThenKill(database: Record<string, string>, killAfterMs: number): Promise<{ signal: string | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'import.ts'), csv], {
      env: { ...process.env, ...database },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe('an import killed with SIGKILL (SQLite)', () => {
  // Kill points spread from start-up to past the commit; the jitter makes each run different.
  const delays = [400, 1200, 2000, 2800, 3500, 8000].map((d) => Math.round(d * (0.8 + 0.4 * Math.random())));

  it.each(delays)('after about %i ms leaves an intact database with the batch all there or not at all', async (delay) => {
    const dbPath = path.join(tempDir(), 'crash.db');
    SqliteStore.open(dbPath).db.$client.close();
    const exit = await importThenKill({ DATABASE_PATH: dbPath }, delay);
    const db = SqliteStore.open(dbPath);
    expect(db.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.db.$client.pragma('foreign_key_check')).toEqual([]);
    const referrals = db.db.$client.prepare('SELECT count(*) FROM referrals').pluck().get() as number;
    const committed = db.db.$client.prepare("SELECT count(*) FROM import_batches WHERE status = 'committed'").pluck().get() as number;
    if (exit.signal === 'SIGKILL') console.log(`killed after ${delay} ms: ${referrals === 0 ? 'absent' : 'present'}`);
    expect([0, ROWS]).toContain(referrals);
    expect(committed).toBe(referrals === ROWS ? 1 : 0);
    if (referrals === ROWS) expect(db.db.$client.prepare('SELECT rows, inserted FROM import_batches').get()).toEqual({ rows: ROWS, inserted: ROWS });
    db.db.$client.close();
  });
});

describe.skipIf(!POSTGRES_ADMIN_URL)(`an import killed with SIGKILL, mid-COPY and elsewhere (PostgreSQL)${POSTGRES_ADMIN_URL ? '' : `: skipped, ${POSTGRES_SKIPPED}`}`, () => {
  // The rows are read and staged first, then sent with COPY and merged: the later kill points fall in the COPY and the merge.
  const delays = [600, 2000, 3000, 3600, 4200, 9000].map((d) => Math.round(d * (0.8 + 0.4 * Math.random())));

  it.each(delays)('after about %i ms leaves a consistent database, the batch all there or not at all, and no lock held', async (delay) => {
    const { url, store } = await freshPostgresStore();
    knowUrl(store, url);
    const exit = await importThenKill({ DATABASE_URL: url }, delay);
    const referrals = Number(await sqlValue(store, 'SELECT count(*) FROM referrals'));
    const committed = Number(await sqlValue(store, "SELECT count(*) FROM import_batches WHERE status = 'committed'"));
    if (exit.signal === 'SIGKILL') console.log(`PostgreSQL, killed after ${delay} ms: ${referrals === 0 ? 'absent' : 'present'}`);
    expect([0, ROWS]).toContain(referrals);
    expect(committed).toBe(referrals === ROWS ? 1 : 0);
    // Nothing half-written: no history, no orphan, one row per referral_id, codes for every row.
    const orphans = await sqlRows(
      store,
      `SELECT (SELECT count(*) FROM referral_history) AS history,
              (SELECT count(DISTINCT referral_id) FROM referrals) AS ids,
              (SELECT count(*) FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM platforms p WHERE p.code = r.platform)
                                                 OR NOT EXISTS (SELECT 1 FROM units u WHERE u.code = r.unit)
                                                 OR NOT EXISTS (SELECT 1 FROM import_batches b WHERE b.id = r.created_batch)) AS orphans`,
    );
    expect(orphans[0]).toEqual({ history: 0, ids: referrals, orphans: 0 });
    // The killed import's transaction and its import lock ended with its connection: another import goes straight through.
    const started = Date.now();
    expect((await importFile(store, FIXTURE_CSV)).status).toBe('committed');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
