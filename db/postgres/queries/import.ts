// The import's write path on PostgreSQL: rows are staged with COPY into a
// temporary table and merged in a few set statements (history of every
// changed field, update, insert), inside the import's transaction; and the
// batch records.
import type pg from 'pg';
import { IdTable } from '../../id-table';
import { rowDigest } from '../../row-digest';
import { REFERRAL_COLUMNS, storedValues, type BatchRecord, type ImportBatch, type ImportErrorRow, type ReferenceTable, type StoredReferral, type StoredValue } from '../../rows';
import type { ImportSession, PutCounts } from '../../store';
import { cursor, first, rows, value, type Queryable } from '../sql';
import { StageCopy } from './stage-copy';

/** Each staged column's type (the referrals table's). */
const COLUMN_TYPE: Record<string, string> = {
  referred_at: 'bigint',
  received_at: 'bigint',
  outcome_at: 'bigint',
  clock_paused_hours: 'double precision',
  views_at_referral: 'bigint',
  views_at_outcome: 'bigint',
};
const INSTANTS = new Set(['referred_at', 'received_at', 'outcome_at']);
const typeOf = (column: string) => COLUMN_TYPE[column] ?? 'text';

/** Rows per piece of COPY text: pieces of about a megabyte go to the server one after another. */
const ROWS_PER_PIECE = 5_000;

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPE: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
export function copyValue(value: StoredValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Most values have nothing to escape: a test is cheaper than a replace.
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIALS, (c) => COPY_ESCAPE[c]) : value;
}

/**
 * One staged row as a line of COPY text (without its newline): its place in
 * the file, the id, the stored values and their digest. Joined from an array,
 * a flat string at once, not a chain of concatenations for the collector.
 */
function copyLine(line: number, referralId: string, values: readonly StoredValue[], digest: number, known: Known): string {
  const fields = new Array<string>(values.length + 4);
  fields[0] = String(line);
  fields[1] = copyValue(referralId);
  for (let i = 0; i < values.length; i++) fields[i + 2] = copyValue(values[i]);
  fields[values.length + 2] = String(digest);
  fields[values.length + 3] = String(known);
  return fields.join('\t');
}

/**
 * After this many rows the import reads the digest of every stored row once
 * (a second or so for a million) and stages only rows that are new or
 * differ: a re-import of an unchanged file then sends almost nothing to the
 * server. A small file is staged whole, without that read; the merge
 * compares digests on the server either way, so the outcome is the same.
 */
const READ_DIGESTS_AFTER = 20_000;
const DIGESTS_PER_FETCH = 20_000;

/** Every stored referral's digest by referral_id, read in slices through a cursor of the import's transaction. */
async function storedDigests(client: pg.PoolClient): Promise<IdTable> {
  const digests = new IdTable();
  await client.query('DECLARE import_digests NO SCROLL CURSOR FOR SELECT referral_id, row_digest FROM referrals');
  for (;;) {
    const slice = await client.query<[string, number]>({ text: `FETCH ${DIGESTS_PER_FETCH} FROM import_digests`, rowMode: 'array' });
    for (const [referralId, digest] of slice.rows) digests.firstOrRecord(referralId, digest);
    if (slice.rows.length < DIGESTS_PER_FETCH) break;
  }
  await client.query('CLOSE import_digests');
  return digests;
}

/** History keeps values as text, instants in ISO 8601 UTC (tm_iso_instant, as the SQLite engine writes them). */
const historyText = (alias: string, column: string) => (INSTANTS.has(column) ? `tm_iso_instant(${alias}.${column})` : `${alias}.${column}::text`);

/**
 * What the import knew of a staged row when it was read: its id not yet
 * looked up (the rows of a file smaller than READ_DIGESTS_AFTER), new, or
 * stored with another digest. Rows known to be new are inserted without a join against
 * referrals: a join per slice of a growing table would cost the square.
 */
const KNOWN = { notLookedUp: 0, isNew: 1, differs: 2 } as const;
type Known = (typeof KNOWN)[keyof typeof KNOWN];

const STAGE_COLUMNS = ['line', 'referral_id', ...REFERRAL_COLUMNS, 'row_digest', 'known'];
const STAGE_TABLE = `CREATE TEMP TABLE import_stage (line integer NOT NULL, referral_id text NOT NULL, ${REFERRAL_COLUMNS.map((c) => `${c} ${typeOf(c)}`).join(', ')}, row_digest bigint NOT NULL, known smallint NOT NULL) ON COMMIT DROP`;

/** One history row per changed field: old and new as text, and whether the values differ (compared as values, not as text). */
const HISTORY_SQL = `INSERT INTO referral_history (referral_id, batch_id, field, old_value, new_value)
  SELECT s.referral_id, $1, v.field, v.old_value, v.new_value
  FROM import_stage s JOIN referrals r ON r.referral_id = s.referral_id
  CROSS JOIN LATERAL (VALUES ${REFERRAL_COLUMNS.map((c, i) => `(${i}, '${c}', ${historyText('r', c)}, ${historyText('s', c)}, r.${c} IS DISTINCT FROM s.${c})`).join(',\n    ')}) AS v(ord, field, old_value, new_value, differs)
  WHERE s.known <> ${KNOWN.isNew} AND r.row_digest <> s.row_digest AND v.differs
  ORDER BY s.line, v.ord`;

/**
 * Rows whose digest differs take the staged values; updated_batch moves only
 * where a value changed (equal values under another digest refresh the
 * digest alone, as on SQLite). Answers how many changed.
 */
const UPDATE_SQL = `WITH changed AS (
    UPDATE referrals r SET ${REFERRAL_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')}, row_digest = s.row_digest,
      updated_batch = CASE WHEN (${REFERRAL_COLUMNS.map((c) => `r.${c}`).join(', ')}) IS DISTINCT FROM (${REFERRAL_COLUMNS.map((c) => `s.${c}`).join(', ')}) THEN $1 ELSE r.updated_batch END
    FROM import_stage s WHERE s.known <> ${KNOWN.isNew} AND r.referral_id = s.referral_id AND r.row_digest <> s.row_digest
    RETURNING r.updated_batch = $1 AS moved)
  SELECT count(*) FILTER (WHERE moved) FROM changed`;

/** New rows in file order (row ids follow the file, as on SQLite); rows not looked up are probed one by one in the unique index. */
const insertSql = (probe: boolean) => `INSERT INTO referrals (referral_id, ${REFERRAL_COLUMNS.join(', ')}, row_digest, created_batch, updated_batch)
  SELECT s.referral_id, ${REFERRAL_COLUMNS.map((c) => `s.${c}`).join(', ')}, s.row_digest, $1, $1
  FROM import_stage s WHERE s.known = ${KNOWN.isNew}${probe ? ` OR (s.known = ${KNOWN.notLookedUp} AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.referral_id = s.referral_id))` : ''}
  ORDER BY s.line`;
const INSERT_KNOWN_SQL = insertSql(false);
const INSERT_PROBED_SQL = insertSql(true);

/** How many rows a piece or a slice holds, and how many of them are stored with another digest. */
interface Kinds {
  rows: number;
  differ: number;
}
const noKinds = (): Kinds => ({ rows: 0, differ: 0 });
function addKinds(to: Kinds, from: Kinds): void {
  to.rows += from.rows;
  to.differ += from.differ;
}

/** Where each reference table's codes come from in the staged rows, in the order the SQLite engine creates them. */
const CODE_SOURCES: [ReferenceTable, string][] = [
  ['units', 'unit'],
  ['platforms', 'platform'],
  ['groups', 'group_code'],
  ['campaigns', 'campaign'],
];

/**
 * Rows staged between two merges. The merge of one slice runs on the server
 * while the app reads the next (its COPY text waits in memory, at most one
 * slice), so that the server's inserting and the app's reading overlap; all
 * in the import's one transaction, so a refusal later still undoes it all.
 */
const ROWS_PER_MERGE = 100_000;

/**
 * The write side of one import, on the import's connection inside its
 * transaction: `put` makes COPY text in pieces of the rows that are new or
 * differ from the stored ones (the rows before READ_DIGESTS_AFTER wait for
 * the digests; a smaller file is staged whole);
 * `drained` sends the pieces made so far to the COPY into the staging table,
 * and every ROWS_PER_MERGE staged rows ends that COPY and starts the merge of
 * those rows without waiting for it; `finish` merges the rest and waits. The
 * store calls `abandon` when the import ends otherwise (refused, failed), so
 * that an open COPY is cancelled before the rollback.
 */
export function openImportSession(client: pg.PoolClient, batchId: number): ImportSession & { abandon(): Promise<void> } {
  const firstLines = new IdTable();
  const copySql = `COPY import_stage (${STAGE_COLUMNS.join(', ')}) FROM STDIN`;
  // The first slice creates the staging table, later ones empty it.
  let copy = new StageCopy(client, STAGE_TABLE, copySql);
  let piece: string[] = [];
  let pieceKinds = noKinds();
  /** Pieces of COPY text made and not yet sent, with what their rows are. */
  const made: { text: string; kinds: Kinds }[] = [];
  let line = 0;
  /** The rows sent to the COPY now open. */
  let inCopy = noKinds();
  let stored: IdTable | null = null;
  /** The rows read before the digests are: kept as they are, so that once the digests come they are staged as known. */
  let early: { line: number; referralId: string; values: StoredValue[]; digest: number }[] = [];
  const created: Record<ReferenceTable, string[]> = { platforms: [], groups: [], units: [], campaigns: [] };
  const merged = { inserted: 0, updated: 0 };
  /** The merge running on the server, if any; it never rejects (its failure is kept and thrown at the next wait). */
  let merging: Promise<void> | null = null;
  let mergeEnded = false;
  let mergeFailure: unknown = null;
  let finished = false;

  const endPiece = () => {
    piece.push(''); // the last line's newline
    made.push({ text: piece.join('\n'), kinds: pieceKinds });
    piece = [];
    pieceKinds = noKinds();
  };
  const waitForMerge = async () => {
    if (merging) await merging;
    merging = null;
    if (mergeFailure) throw mergeFailure;
  };
  const send = async () => {
    while (made.length > 0) {
      const next = made.shift()!;
      await copy.write(next.text);
      addKinds(inCopy, next.kinds);
    }
  };
  /** Ends the open COPY and merges its rows into referrals; the next slice gets a new COPY. */
  const mergeSlice = async () => {
    const ending = copy;
    const kinds = inCopy;
    copy = new StageCopy(client, 'TRUNCATE import_stage', copySql);
    inCopy = noKinds();
    await ending.end();
    // Rows go unlooked-up only when the digests were never read (a small file).
    const counts = await mergeStaged(client, batchId, created, { lookedUp: stored !== null, differ: kinds.differ });
    merged.inserted += counts.inserted;
    merged.updated += counts.updated;
  };
  const stage = (at: number, referralId: string, values: StoredValue[], digest: number) => {
    let known: Known = KNOWN.notLookedUp;
    if (stored !== null) {
      const storedDigest = stored.get(referralId);
      if (storedDigest === digest) return; // stored as it is: unchanged
      known = storedDigest === undefined ? KNOWN.isNew : KNOWN.differs;
    }
    piece.push(copyLine(at, referralId, values, digest, known));
    pieceKinds.rows++;
    if (known === KNOWN.differs) pieceKinds.differ++;
    if (piece.length === ROWS_PER_PIECE) endPiece();
  };
  const stageEarly = () => {
    for (const e of early) stage(e.line, e.referralId, e.values, e.digest);
    early = [];
  };
  // The digests are read before the COPY opens (a connection in a COPY runs nothing else): the first rows wait for them.
  const drained = async () => {
    if (stored === null) {
      if (line < READ_DIGESTS_AFTER) return;
      stored = await storedDigests(client);
      stageEarly();
    }
    if (merging) {
      // The server is busy with the last slice: read on until it is done, or until a whole slice waits.
      if (!mergeEnded && made.length * ROWS_PER_PIECE < ROWS_PER_MERGE) return;
      await waitForMerge();
    }
    await send();
    if (inCopy.rows >= ROWS_PER_MERGE) {
      mergeEnded = false;
      merging = mergeSlice()
        .catch((err: unknown) => void (mergeFailure = err))
        .finally(() => (mergeEnded = true));
    }
  };

  return {
    batchId,
    createdCodes: created,
    seen: (referralId: string, at: number) => firstLines.firstOrRecord(referralId, at),
    put(row: StoredReferral): void {
      const values = storedValues(row);
      const digest = rowDigest(values);
      ++line;
      if (stored === null) early.push({ line, referralId: row.referralId, values, digest });
      else stage(line, row.referralId, values, digest);
    },
    drained,
    async finish(): Promise<PutCounts> {
      if (finished) throw new Error('an import session finishes once');
      finished = true;
      // A small file: its rows were never looked up, the merge finds out which are stored.
      stageEarly();
      if (piece.length > 0) endPiece();
      await waitForMerge();
      if (made.length > 0 || inCopy.rows > 0) {
        await send();
        await mergeSlice();
      }
      return { ...merged, unchanged: line - merged.inserted - merged.updated };
    },
    async abandon(): Promise<void> {
      // A merge still running finishes (or fails) first: the connection answers one statement at a time.
      if (merging) await merging;
      await copy.abandon();
    },
  };
}

/**
 * Merges the rows in the staging table into referrals: new codes, the
 * history of changed fields, the update, the insert. The history and the
 * update join referrals only where some rows may be stored already.
 */
async function mergeStaged(
  client: pg.PoolClient,
  batchId: number,
  created: Record<ReferenceTable, string[]>,
  staged: { lookedUp: boolean; differ: number },
): Promise<{ inserted: number; updated: number }> {
  // A temporary table is never analysed on its own: without its size the planner would guess the joins below
  // (the two columns they join and sort on are enough).
  await client.query('ANALYZE import_stage (referral_id, line)');
  await createCodes(client, created);
  let updated = 0;
  if (!staged.lookedUp || staged.differ > 0) {
    await client.query(HISTORY_SQL, [batchId]);
    updated = (await value<number>(client, UPDATE_SQL, [batchId])) ?? 0;
  }
  const inserted = (await client.query(staged.lookedUp ? INSERT_KNOWN_SQL : INSERT_PROBED_SQL, [batchId])).rowCount ?? 0;
  return { inserted, updated };
}

/** DATA-MODEL.md: a code met for the first time is created with name = code and type/ideology other; in the order first met. */
async function createCodes(client: pg.PoolClient, created: Record<ReferenceTable, string[]>): Promise<void> {
  for (const [table, column] of CODE_SOURCES) {
    const codes = (
      await rows<{ code: string }>(
        client,
        `SELECT s.${column} AS code FROM import_stage s WHERE s.${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.code = s.${column})
         GROUP BY s.${column} ORDER BY min(s.line)`,
      )
    ).map((r) => r.code);
    if (codes.length === 0) continue;
    if (table === 'groups')
      await client.query("INSERT INTO groups (code, name, ideology) SELECT c, c, CASE WHEN c = 'unattributed' THEN 'unattributed' ELSE 'other' END FROM unnest($1::text[]) AS c", [codes]);
    else if (table === 'platforms') await client.query("INSERT INTO platforms (code, name, type) SELECT c, c, 'other' FROM unnest($1::text[]) AS c", [codes]);
    else await client.query(`INSERT INTO ${table} (code, name) SELECT c, c FROM unnest($1::text[]) AS c`, [codes]);
    created[table].push(...codes);
  }
}

const BATCH_FIELDS = [
  ['file_name', 'fileName'],
  ['sha256', 'sha256'],
  ['format', 'format'],
  ['actor', 'actor'],
  ['started_at', 'startedAt'],
  ['finished_at', 'finishedAt'],
  ['status', 'status'],
  ['rows', 'rows'],
  ['inserted', 'inserted'],
  ['updated', 'updated'],
  ['unchanged', 'unchanged'],
  ['rejected', 'rejected'],
  ['error_count', 'errorCount'],
  ['created_codes', 'createdCodes'],
  ['message', 'message'],
] as const;

const batchParams = (b: BatchRecord) => BATCH_FIELDS.map(([, field]) => b[field]);

export async function insertBatch(q: Queryable, batch: BatchRecord): Promise<number> {
  const sql = `INSERT INTO import_batches (${BATCH_FIELDS.map(([c]) => c).join(', ')}) VALUES (${BATCH_FIELDS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`;
  return (await value<number>(q, sql, batchParams(batch)))!;
}

export async function updateBatch(q: Queryable, id: number, batch: BatchRecord): Promise<void> {
  const sets = BATCH_FIELDS.map(([c], i) => `${c} = $${i + 1}`).join(', ');
  await q.query(`UPDATE import_batches SET ${sets} WHERE id = $${BATCH_FIELDS.length + 1}`, [...batchParams(batch), id]);
}

const BATCH_SELECT = `SELECT id, ${BATCH_FIELDS.map(([c, f]) => (c === f ? c : `${c} AS "${f}"`)).join(', ')} FROM import_batches`;

export const listBatches = (q: Queryable, limit: number) => rows<ImportBatch>(q, `${BATCH_SELECT} ORDER BY id DESC LIMIT $1`, [limit]);

export const getBatch = (q: Queryable, id: number) => first<ImportBatch>(q, `${BATCH_SELECT} WHERE id = $1`, [id]);

export const lastCommittedBatch = async (q: Queryable) => (await first<ImportBatch>(q, `${BATCH_SELECT} WHERE status = 'committed' ORDER BY id DESC LIMIT 1`)) ?? null;

export async function storeImportErrors(q: Queryable, batchId: number, errors: readonly ImportErrorRow[]): Promise<void> {
  // In slices: one statement per thousand errors rather than one per error.
  for (let k = 0; k < errors.length; k += 1000) {
    const slice = errors.slice(k, k + 1000);
    await q.query(
      'INSERT INTO import_errors (batch_id, line, field, message) SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[])',
      [batchId, slice.map((e) => e.line), slice.map((e) => e.field), slice.map((e) => e.message)],
    );
  }
}

export const importErrorsOf = (q: Queryable, batchId: number, limit?: number) =>
  rows<ImportErrorRow>(q, `SELECT line, field, message FROM import_errors WHERE batch_id = $1 ORDER BY line, id${limit === undefined ? '' : ' LIMIT $2'}`, limit === undefined ? [batchId] : [batchId, limit]);

export const iterateImportErrors = (connect: () => Promise<pg.PoolClient>, batchId: number) =>
  cursor<ImportErrorRow>(connect, 'SELECT line, field, message FROM import_errors WHERE batch_id = $1 ORDER BY line, id', [batchId]);
