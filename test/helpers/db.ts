import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '@/db/sqlite/store';
import type { Store } from '@/db/store';
import { currentFacts, type FactSnapshot } from '@/lib/metrics/fact-store';

// shared/ beside the project (TAKEDOWN_SHARED_DIR when the tests run in a copy of it, as mutation testing does).
const SHARED = process.env.TAKEDOWN_SHARED_DIR ?? path.resolve(__dirname, '../../../shared');
export const FIXTURE_CSV = path.join(SHARED, 'fixtures', 'referrals-small.csv');
export const FIXTURE_EXPECTED = path.join(SHARED, 'fixtures', 'referrals-small.expected.json');

/** A fresh in-memory database with every migration applied (a SqliteStore: tests may look at its tables with SQL). */
export function memoryDb(): SqliteStore {
  return SqliteStore.open(':memory:');
}

/** The facts of the store's current data version (what pages and answers compute from). */
export function factsOf(store: Store): Promise<FactSnapshot> {
  return currentFacts(store);
}

const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A directory removed when the process ends. */
export function tempDir(prefix = 'takedown-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function writeTemp(name: string, content: string | Buffer): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, content);
  return file;
}

const TABLES = ['platforms', 'groups', 'units', 'campaigns', 'referrals', 'referral_history', 'meta', 'import_batches'] as const;

/**
 * SHA-256 over every row of the given tables, in primary-key order: equal
 * checksums mean equal contents.
 */
export function tablesChecksum({ db }: SqliteStore, tables: readonly string[] = TABLES): string {
  const hash = createHash('sha256');
  for (const table of tables) {
    hash.update(`\n#${table}\n`);
    for (const row of db.$client.prepare(`SELECT * FROM ${table} ORDER BY 1`).raw().all()) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}

/** Every table but the batch log, which records rejected attempts too. */
export const DATA_TABLES = TABLES.filter((t) => t !== 'import_batches');

export function count({ db }: SqliteStore, table: string, where = '1'): number {
  return db.$client.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get() as number;
}
