// Fresh PostgreSQL databases for tests, on the server test/setup/postgres.ts
// provides: each migrated and empty, dropped when the run ends.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { migrateStore, openStore } from '@/db/open';
import type { Store } from '@/db/store';

/** Null when this run has no PostgreSQL server (the tests say so and are skipped). */
export const POSTGRES_ADMIN_URL = inject('postgresAdminUrl');
export const POSTGRES_SKIPPED = inject('postgresSkipped');

/** The address of a new, empty database (not migrated). */
export async function emptyPostgresDatabase(): Promise<string> {
  if (!POSTGRES_ADMIN_URL) throw new Error(`no PostgreSQL server in this run: ${POSTGRES_SKIPPED}`);
  const name = `tm_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client(POSTGRES_ADMIN_URL);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const opened: Store[] = [];
// Pools closed before the server stops (else each idle connection reports its loss).
afterAll(async () => {
  await Promise.allSettled(opened.splice(0).map((s) => s.close()));
});

/** Opens a store on the database at `url`, closed when the test file ends. */
export function postgresStore(url: string, options: { migrate?: boolean } = {}): Store {
  const store = openStore({ engine: 'postgres', url }, options);
  opened.push(store);
  return store;
}

/** A new database with every migration applied, and a store on it. */
export async function freshPostgresStore(): Promise<{ url: string; store: Store }> {
  const url = await emptyPostgresDatabase();
  await migrateStore({ engine: 'postgres', url });
  return { url, store: postgresStore(url) };
}
