// The referral facts every metric is computed from, read in one pass into
// typed columns (codes dictionary-encoded), plus the data version that says
// when they must be read again. lib/metrics keeps them per data version.
import { FACT_COLUMNS_SQL, factColumns, type StoredFacts } from '../../facts';
import type { FactsMark } from '../../store';
import type { Db } from '../client';

/** A read that may pause lets other work run after this many rows (about 40 ms of reading). */
const PAUSE_EVERY_ROWS = 10_000;

/** The meta key of the data version. */
export const DATA_VERSION_KEY = 'data_version';

/** Changes with every committed import (a counter kept in meta), in this process or another. */
export function getDataVersion(db: Db): number {
  const v = db.$client.prepare("SELECT value FROM meta WHERE key = 'data_version'").pluck().get() as string | undefined;
  return v === undefined ? 0 : Number(v);
}

/** The meta key of the database's generation (a restore makes a new one). */
export const GENERATION_KEY = 'generation';

/** Where a read of the facts stands: its data version, the database's generation and the last batch it includes. */
export function factsMark(db: Db): FactsMark {
  const generation = (db.$client.prepare("SELECT value FROM meta WHERE key = 'generation'").pluck().get() as string | undefined) ?? '';
  const lastBatch = db.$client.prepare('SELECT coalesce(max(id), 0) FROM import_batches').pluck().get() as number;
  const lastImport = db.$client.prepare("SELECT max(id) FROM import_batches WHERE status = 'committed'").pluck().get() as number | null;
  return { version: getDataVersion(db), generation, lastBatch, lastImport };
}

/** How many rows changed after the batch (the count of a change log read). */
export function countChangesSince(db: Db, batch: number): number {
  return db.$client.prepare('SELECT count(*) FROM referrals INDEXED BY referrals_updated_batch WHERE updated_batch > ?').pluck().get(batch) as number;
}

/** Called inside every committing import transaction. */
export function bumpDataVersion(db: Db): void {
  db.$client
    .prepare(
      "INSERT INTO meta (key, value) VALUES ('data_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
    )
    .run();
}

/**
 * Reads the fact columns of every referral, or with `sinceBatch` only of
 * those a later batch inserted or changed (the change log: updated_batch,
 * indexed). Rows come in id order. The reference dictionaries are always
 * whole; the languages, hashes and reasons are those of the rows read.
 */
export async function loadFactColumns(db: Db, sinceBatch: number | null = null, pause?: () => Promise<void>): Promise<StoredFacts> {
  const sqlite = db.$client;
  // The change log's index, named: the planner would otherwise walk the whole table in id order to skip a small sort.
  const where = sinceBatch === null ? '' : ` INDEXED BY referrals_updated_batch WHERE updated_batch > ${Math.floor(sinceBatch)}`;
  const ref = (table: string) => sqlite.prepare(`SELECT code, name FROM ${table} ORDER BY code`).all() as { code: string; name: string }[];
  const columns = factColumns(sqlite.prepare(`SELECT count(*) FROM referrals${where}`).pluck().get() as number, {
    platforms: sqlite.prepare('SELECT code, name, type FROM platforms ORDER BY code').all() as { code: string; name: string; type: string }[],
    groups: sqlite.prepare('SELECT code, name, ideology FROM groups ORDER BY code').all() as { code: string; name: string; ideology: string }[],
    units: ref('units'),
    campaigns: ref('campaigns'),
    languages: sqlite.prepare(`SELECT DISTINCT language FROM referrals${where} ORDER BY language`).pluck().all() as string[],
  });
  const statement = sqlite.prepare(`SELECT ${FACT_COLUMNS_SQL} FROM referrals${where} ORDER BY id`);
  let i = 0;
  for (const row of statement.raw().iterate() as IterableIterator<unknown[]>) {
    // Every so many rows, other work of the process (requests) gets its turn.
    if (pause && i % PAUSE_EVERY_ROWS === 0 && i > 0) await pause();
    if (!columns.add(row)) break;
    i++;
  }
  return columns.finish();
}
