// The benchmarks' PostgreSQL databases: made afresh on a server (the
// private one of postgres-cluster.ts, or that of --url), migrated or copied.
import pg from 'pg';
import { migrateStore } from '@/db/open';

/**
 * A new, migrated database on the server of `admin`, replacing one of the
 * same name (or, with `template`, a copy of that database); its address.
 */
export async function freshBenchDatabase(admin: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client(admin);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  if (!template) await migrateStore({ engine: 'postgres', url: url.toString() });
  return url.toString();
}
