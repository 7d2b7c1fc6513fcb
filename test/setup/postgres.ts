// Vitest global setup: a PostgreSQL server for the tests of the PostgreSQL
// engine. TEST_DATABASE_URL names one (a superuser's address: each test
// makes databases of its own, named tm_test_*, dropped at the end);
// without it, a private server is started from Debian's PostgreSQL binaries
// in a temporary folder (scripts/lib/postgres-cluster.ts). When neither can
// be had, those tests are skipped, and the run says so plainly.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PostgresCluster } from '../../scripts/lib/postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser's address of the test server, or null when there is none. */
    postgresAdminUrl: string | null;
    /** Why there is none, in words. */
    postgresSkipped: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let cluster: PostgresCluster | undefined;
  let url = process.env.TEST_DATABASE_URL?.trim() || null;
  let skipped: string | null = null;
  if (!url) {
    try {
      cluster = await startPostgresCluster();
      url = cluster.adminUrl;
    } catch (err) {
      skipped = (err as Error).message;
    }
  }
  project.provide('postgresAdminUrl', url);
  project.provide('postgresSkipped', skipped);
  if (skipped) console.warn(`\n*** The PostgreSQL tests are SKIPPED: ${skipped}. Set TEST_DATABASE_URL, or install Debian's postgresql package. ***\n`);
  return async () => {
    if (cluster) return cluster.stop();
    if (!url) return;
    // A server of the machine's: leave it as it was found.
    const client = new pg.Client(url);
    await client.connect();
    try {
      const names = (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'tm\\_test\\_%'")).rows;
      for (const { datname } of names) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
