// The engines a test runs on: SQLite in memory always, PostgreSQL when the
// run has a server (test/setup/postgres.ts; otherwise its cases are listed
// as skipped, with the reason). Tests reach the tables with SQL through the
// helpers below, the same text on both (`?` placeholders).
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import type { Store } from '@/db/store';
import { freshPostgresStore, POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from './postgres';

export interface TestEngine {
  name: string;
  /** A new, migrated, empty database. */
  fresh(): Promise<Store>;
}

const urls = new WeakMap<Store, string>();

/** Tells the SQL helpers below where a PostgreSQL store's database is. */
export function knowUrl(store: Store, url: string): Store {
  urls.set(store, url);
  return store;
}

export const TEST_ENGINES: TestEngine[] = [{ name: 'SQLite', fresh: () => Promise.resolve(SqliteStore.open(':memory:')) }];
if (POSTGRES_ADMIN_URL)
  TEST_ENGINES.push({
    name: 'PostgreSQL',
    fresh: async () => {
      const { url, store } = await freshPostgresStore();
      return knowUrl(store, url);
    },
  });

/** describe.each over the engines, and a skipped block that names the reason when PostgreSQL is not there. */
export function describeEachEngine(title: string, body: (engine: TestEngine) => void): void {
  describe.each(TEST_ENGINES)(`${title} on $name`, body);
  if (!POSTGRES_ADMIN_URL) describe.skip(`${title} on PostgreSQL: skipped, ${POSTGRES_SKIPPED}`, () => body({ name: 'PostgreSQL', fresh: () => Promise.reject(new Error('no server')) }));
}

const INT8 = 20;
const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
const pools = new Map<string, pg.Pool>();
afterAll(async () => {
  await Promise.allSettled([...pools.values()].map((p) => p.end()));
  pools.clear();
});

/** The rows of a query on the store's tables (`?` placeholders). */
export async function sqlRows(store: Store, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (store instanceof SqliteStore) {
    const statement = store.db.$client.prepare(text);
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    statement.run(...params);
    return [];
  }
  const url = urls.get(store);
  if (!url) throw new Error('a PostgreSQL store of test/helpers/engines.ts was expected');
  let pool = pools.get(url);
  if (!pool) pools.set(url, (pool = new pg.Pool({ connectionString: url, max: 2, types })));
  let n = 0;
  return (await pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as Record<string, unknown>[];
}

/** The first column of the first row. */
export async function sqlValue(store: Store, text: string, params: unknown[] = []): Promise<unknown> {
  const row = (await sqlRows(store, text, params))[0];
  return row === undefined ? undefined : Object.values(row)[0];
}

export async function countOf(store: Store, table: string, where = '1 = 1'): Promise<number> {
  return Number(await sqlValue(store, `SELECT count(*) AS n FROM ${table} WHERE ${where}`));
}

const TABLES = ['platforms', 'groups', 'units', 'campaigns', 'referrals', 'referral_history', 'meta', 'import_batches'] as const;
/** Every table but the batch log, which records rejected attempts too. */
export const DATA_TABLES = TABLES.filter((t) => t !== 'import_batches');

/** SHA-256 over every row of the tables, in primary-key order: equal checksums mean equal contents (on one engine). */
export async function checksumOf(store: Store, tables: readonly string[] = TABLES): Promise<string> {
  const hash = createHash('sha256');
  for (const table of tables) {
    hash.update(`\n#${table}\n`);
    for (const row of await sqlRows(store, `SELECT * FROM ${table} ORDER BY 1`)) hash.update(JSON.stringify(Object.values(row)));
  }
  return hash.digest('hex');
}

/**
 * What a database that lived through a crash must pass, in words (empty
 * when all is well): SQLite's integrity and foreign-key checks; on
 * PostgreSQL every B-tree index checked against its table (amcheck, with
 * heapallindexed) and no referral naming a code or batch that is not there.
 */
export async function databaseProblems(store: Store): Promise<string[]> {
  if (store instanceof SqliteStore) {
    const integrity = store.db.$client.pragma('integrity_check', { simple: true }) as string;
    const keys = store.db.$client.pragma('foreign_key_check') as unknown[];
    return [...(integrity === 'ok' ? [] : [`integrity_check: ${integrity}`]), ...(keys.length === 0 ? [] : [`foreign_key_check: ${JSON.stringify(keys)}`])];
  }
  await sqlRows(store, 'CREATE EXTENSION IF NOT EXISTS amcheck');
  const indexes = await sqlRows(
    store,
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public' ORDER BY 1`,
  );
  const problems: string[] = [];
  for (const { name } of indexes) {
    try {
      await sqlRows(store, `SELECT bt_index_check('public.${String(name)}'::regclass, true)`);
    } catch (err) {
      problems.push(`index ${String(name)}: ${(err as Error).message}`);
    }
  }
  const orphans = Number(
    await sqlValue(
      store,
      `SELECT count(*) FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM platforms p WHERE p.code = r.platform)
          OR NOT EXISTS (SELECT 1 FROM units u WHERE u.code = r.unit) OR NOT EXISTS (SELECT 1 FROM groups g WHERE g.code = r.group_code)
          OR NOT EXISTS (SELECT 1 FROM import_batches b WHERE b.id = r.created_batch) OR NOT EXISTS (SELECT 1 FROM import_batches b WHERE b.id = r.updated_batch)`,
    ),
  );
  if (orphans > 0) problems.push(`${orphans} referrals name a code or batch that is not there`);
  return problems;
}
