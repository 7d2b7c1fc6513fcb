// The referral facts every metric is computed from, read into typed columns
// (codes dictionary-encoded) as db/facts.ts describes, in one snapshot with
// the mark that says where it stands. The columns are the same as the
// SQLite engine fills, row for row in id order.
import { FACT_COLUMNS_SQL, factColumns, type StoredFacts } from '../../facts';
import type { FactsMark } from '../../store';
import { rows, value, type Queryable } from '../sql';

/** Rows asked for at a time (by id, from the last one read): each answer is a few MB, and other work runs between them. */
const PAGE_ROWS = 50_000;

export async function getDataVersion(q: Queryable): Promise<number> {
  return Number((await value<string>(q, "SELECT value FROM meta WHERE key = 'data_version'")) ?? 0);
}

/**
 * Where the data stands. lastBatch is the last *committed* import here:
 * batch ids come from a sequence, and a rejected attempt recorded while an
 * import is still open can take a higher id than the import's. Imports
 * take their id under the import lock, so committed ones increase in the
 * order they commit, and "changed after the last committed batch" misses
 * nothing.
 */
export async function factsMark(q: Queryable): Promise<FactsMark> {
  const row = (await rows<{ generation: string | null; version: string | null; last: number | null }>(
    q,
    `SELECT (SELECT value FROM meta WHERE key = 'generation') AS generation, (SELECT value FROM meta WHERE key = 'data_version') AS version,
            (SELECT max(id) FROM import_batches WHERE status = 'committed') AS last`,
  ))[0];
  return { version: Number(row.version ?? 0), generation: row.generation ?? '', lastBatch: row.last ?? 0, lastImport: row.last };
}

export async function countChangesSince(q: Queryable, batch: number): Promise<number> {
  return (await value<number>(q, 'SELECT count(*) FROM referrals WHERE updated_batch > $1', [batch])) ?? 0;
}

/** Called inside every committing import transaction; the notice reaches every listening server at commit. */
export async function bumpDataVersion(q: Queryable): Promise<number> {
  const version = await value<string>(
    q,
    `INSERT INTO meta (key, value) VALUES ('data_version', '1')
     ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value`,
  );
  await q.query("SELECT pg_notify('takedown_data_version', $1)", [version]);
  return Number(version);
}

/**
 * The fact columns of every referral, or with `sinceBatch` only of those a
 * later batch inserted or changed (the change log: updated_batch, indexed),
 * in id order. Call inside a REPEATABLE READ transaction: the pages must
 * come from one snapshot.
 */
export async function loadFactColumns(q: Queryable, sinceBatch: number | null = null): Promise<StoredFacts> {
  const since = sinceBatch === null ? '' : ` AND updated_batch > ${Math.floor(sinceBatch)}`;
  // Codes in code-point order, as on SQLite: dictionary positions (and so every tie-break on them) are the same.
  const ref = (table: string) => rows<{ code: string; name: string }>(q, `SELECT code, name FROM ${table} ORDER BY code COLLATE "C"`);
  const columns = factColumns((await value<number>(q, `SELECT count(*) FROM referrals WHERE true${since}`)) ?? 0, {
    platforms: await rows<{ code: string; name: string; type: string }>(q, 'SELECT code, name, type FROM platforms ORDER BY code COLLATE "C"'),
    groups: await rows<{ code: string; name: string; ideology: string }>(q, 'SELECT code, name, ideology FROM groups ORDER BY code COLLATE "C"'),
    units: await ref('units'),
    campaigns: await ref('campaigns'),
    languages: (await rows<{ language: string }>(q, `SELECT DISTINCT language COLLATE "C" AS language FROM referrals WHERE true${since} ORDER BY 1`)).map((r) => r.language),
  });
  let after = 0;
  for (;;) {
    const page = (await q.query({ text: `SELECT ${FACT_COLUMNS_SQL} FROM referrals WHERE id > $1${since} ORDER BY id LIMIT ${PAGE_ROWS}`, values: [after], rowMode: 'array' }))
      .rows as unknown[][];
    if (page.length === 0) break;
    for (const row of page) if (!columns.add(row)) return columns.finish();
    after = page[page.length - 1][15] as number;
  }
  return columns.finish();
}
