// A process importing a large file is killed with SIGKILL at a random
// moment: the database must be intact and the batch wholly present or
// wholly absent, never half-written.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { tempDir } from '../helpers/db';

const ROWS = 120_000;
let csv: string;

beforeAll(() => {
  csv = path.join(tempDir(), 'large.csv');
  writeDemoCsv(csv, { rows: ROWS, seed: 99 });
});

function importThenKill(databasePath: string, killAfterMs: number): Promise<{ signal: string | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'import.ts'), csv], {
      env: { ...process.env, DATABASE_PATH: databasePath },
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

describe('an import killed with SIGKILL', () => {
  // Kill points spread from start-up to past the commit; the jitter makes each run different.
  const delays = [400, 1200, 2000, 2800, 3500, 8000].map((d) => Math.round(d * (0.8 + 0.4 * Math.random())));

  it.each(delays)('after about %i ms leaves an intact database with the batch all there or not at all', async (delay) => {
    const dbPath = path.join(tempDir(), 'crash.db');
    SqliteStore.open(dbPath).db.$client.close();
    const exit = await importThenKill(dbPath, delay);
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
