// The database connection of an import ends under it (the server restarted,
// a network cut, an administrator's pg_terminate_backend), once in the COPY
// and once in the merge: the import rolls back and says so in words, the
// data are as before, and the same file imports whole afterwards.
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { importFile, ImportFailedError } from '@/lib/import/import';
import { FIXTURE_CSV, tempDir } from '../helpers/db';
import { knowUrl, sqlRows } from '../helpers/engines';
import { freshPostgresStore, POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from '../helpers/postgres';

const ROWS = 120_000;
let csv: string;

beforeAll(() => {
  csv = path.join(tempDir(), 'lost.csv');
  writeDemoCsv(csv, { rows: ROWS, seed: 31 });
});

/** Ends, from another connection, the backend of database `name` once it runs a statement starting with `statement`; whether it did. */
async function terminateWhenRunning(name: string, statement: string, until: Promise<unknown>): Promise<boolean> {
  const admin = new pg.Client(POSTGRES_ADMIN_URL!);
  await admin.connect();
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  try {
    while (!done) {
      const ended = await admin.query(
        "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE $2",
        [name, `${statement}%`],
      );
      if (ended.rows.some((r) => r.ended)) return true;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return false;
  } finally {
    await admin.end();
  }
}

describe.skipIf(!POSTGRES_ADMIN_URL)(`a connection lost during an import (PostgreSQL)${POSTGRES_ADMIN_URL ? '' : `: skipped, ${POSTGRES_SKIPPED}`}`, () => {
  it.each([
    ['the COPY into the staging table', 'COPY import_stage'],
    ['the merge into referrals', 'INSERT INTO referrals'],
  ])('in %s: rolled back, said in words, nothing written, the same file imports afterwards', async (_moment, statement) => {
    const { url, store } = await freshPostgresStore();
    knowUrl(store, url);
    await importFile(store, FIXTURE_CSV);
    const tables = "SELECT (SELECT count(*) FROM referrals) AS referrals, (SELECT count(*) FROM referral_history) AS history, (SELECT count(*) FROM platforms) AS platforms, (SELECT count(*) FROM import_batches WHERE status = 'committed') AS committed";
    const before = await sqlRows(store, tables);

    const running = importFile(store, csv);
    const ended = terminateWhenRunning(new URL(url).pathname.slice(1), statement, running);
    const failure = await running.then(() => null, (err: unknown) => err);
    expect(await ended).toBe(true);
    expect(failure).toBeInstanceOf(ImportFailedError);
    // Which the client hears first, the server's word or the cut socket, depends on the moment.
    expect((failure as Error).message).toMatch(/^the import failed and was rolled back, nothing was written: The connection to the database was lost: /);
    expect((failure as Error).message).toMatch(/(ended the connection \(terminating connection due to administrator command\)|was cut \((ECONNRESET|EPIPE)\): the server restarted, an administrator ended the session, or the network failed)/);
    // The attempt is on record as rejected; nothing of its rows is.
    expect(await sqlRows(store, tables)).toEqual(before);
    const [rejected] = await sqlRows(store, "SELECT status, inserted FROM import_batches WHERE id = (SELECT max(id) FROM import_batches)");
    expect(rejected).toEqual({ status: 'rejected', inserted: 0 });

    // The pool gave up the dead connection: the same file goes in now, whole.
    const again = await importFile(store, csv);
    expect([again.status, again.inserted]).toEqual(['committed', ROWS]);
    expect(Number((await sqlRows(store, 'SELECT count(*) AS n FROM referrals'))[0].n)).toBe(24 + ROWS);
  }, 120_000);
});
