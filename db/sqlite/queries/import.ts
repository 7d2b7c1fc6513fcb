// The import's write path and the batch records.
import type { Statement } from 'better-sqlite3';
import { rowDigest } from '../../row-digest';
import { REFERRAL_COLUMNS, storedValues, type BatchRecord, type ImportBatch, type ImportErrorRow, type ReferenceTable, type StoredReferral, type StoredValue } from '../../rows';
import type { ImportSession, PutCounts } from '../../store';
import type { Db } from '../client';
import { stmt } from '../statements';

/** ISO 8601 UTC without milliseconds when they are 0 (as everywhere in the app): history keeps instants as text. */
function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const INSTANT_COLUMNS = new Set(['referred_at', 'received_at', 'outcome_at']);

/** History keeps values as text, instants in ISO 8601 UTC. */
function historyValue(index: number, value: StoredValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number' && INSTANT_COLUMNS.has(REFERRAL_COLUMNS[index])) return isoInstant(value);
  return String(value);
}

/**
 * The write side of one import, on its connection and inside its
 * transaction: prepared once per import, then run once per row of files
 * with millions of rows (hence the raw statements).
 */
export function openImportSession(db: Db, batchId: number): ImportSession {
  const sqlite = db.$client;
  const cols = REFERRAL_COLUMNS.join(', ');
  const placeholders = REFERRAL_COLUMNS.map(() => '?').join(', ');
  sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS import_seen (referral_id TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID');
  sqlite.exec('DELETE FROM temp.import_seen');
  const markSeen = sqlite.prepare('INSERT INTO temp.import_seen (referral_id, line) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const seenLine = sqlite.prepare('SELECT line FROM temp.import_seen WHERE referral_id = ?').pluck();
  const insert = sqlite.prepare(`INSERT INTO referrals (referral_id, ${cols}, row_digest, created_batch, updated_batch) VALUES (?, ${placeholders}, ?, ?, ?)`);
  const existing = sqlite.prepare(`SELECT ${cols} FROM referrals WHERE referral_id = ?`).raw();
  const digestOf = sqlite.prepare('SELECT row_digest FROM referrals WHERE referral_id = ?').pluck();
  const update = sqlite.prepare(
    `UPDATE referrals SET ${REFERRAL_COLUMNS.map((c) => `${c} = ?`).join(', ')}, row_digest = ?, updated_batch = coalesce(?, updated_batch) WHERE referral_id = ?`,
  );
  const history = sqlite.prepare('INSERT INTO referral_history (referral_id, batch_id, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)');
  const codeInserts: Record<ReferenceTable, Statement<unknown[]>> = {
    platforms: sqlite.prepare("INSERT INTO platforms (code, name, type) VALUES (?, ?, 'other')"),
    groups: sqlite.prepare('INSERT INTO groups (code, name, ideology) VALUES (?, ?, ?)'),
    units: sqlite.prepare('INSERT INTO units (code, name) VALUES (?, ?)'),
    campaigns: sqlite.prepare('INSERT INTO campaigns (code, name) VALUES (?, ?)'),
  };
  // Read at the first row, not now: the import's own preparation (reference data) comes first.
  let knownCodes: Record<ReferenceTable, Set<string>> | null = null;
  const created: Record<ReferenceTable, string[]> = { platforms: [], groups: [], units: [], campaigns: [] };
  const ensureCode = (table: ReferenceTable, code: string | null) => {
    const known = (knownCodes ??= loadReferenceCodes(db));
    if (code === null || known[table].has(code)) return;
    // DATA-MODEL.md: created on the fly with name = code, type/ideology = other.
    if (table === 'groups') codeInserts.groups.run(code, code, code === 'unattributed' ? 'unattributed' : 'other');
    else codeInserts[table].run(code, code);
    known[table].add(code);
    created[table].push(code);
  };

  const counts: PutCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const write = (row: StoredReferral): keyof PutCounts => {
    ensureCode('units', row.unit);
    ensureCode('platforms', row.platform);
    ensureCode('groups', row.group);
    ensureCode('campaigns', row.campaign);
    const params = storedValues(row);
    const digest = rowDigest(params);
    const stored = digestOf.get(row.referralId) as number | undefined;
    if (stored === undefined) {
      insert.run(row.referralId, ...params, digest, batchId, batchId);
      return 'inserted';
    }
    if (stored === digest) return 'unchanged';
    const old = existing.get(row.referralId) as StoredValue[];
    let changed = 0;
    for (let i = 0; i < params.length; i++)
      if (old[i] !== params[i]) {
        changed++;
        history.run(row.referralId, batchId, REFERRAL_COLUMNS[i], historyValue(i, old[i]), historyValue(i, params[i]));
      }
    // Equal values under a different digest (rows written before a digest change) refresh the digest only.
    update.run(...params, digest, changed > 0 ? batchId : null, row.referralId);
    return changed > 0 ? 'updated' : 'unchanged';
  };

  return {
    batchId,
    createdCodes: created,
    seen(referralId: string, line: number): number | null {
      if (markSeen.run(referralId, line).changes === 1) return null;
      return seenLine.get(referralId) as number;
    },
    // Written at once, in the import's transaction: SQLite has no faster bulk path than a prepared statement.
    put(row: StoredReferral): void {
      counts[write(row)]++;
    },
    drained: () => Promise.resolve(),
    finish: () => Promise.resolve({ ...counts }),
  };
}

export function loadReferenceCodes(db: Db): Record<ReferenceTable, Set<string>> {
  const sqlite = db.$client;
  const load = (table: ReferenceTable) => new Set(sqlite.prepare(`SELECT code FROM ${table}`).pluck().all() as string[]);
  return { platforms: load('platforms'), groups: load('groups'), units: load('units'), campaigns: load('campaigns') };
}

const BATCH_COLUMNS =
  'file_name, sha256, format, actor, started_at, finished_at, status, rows, inserted, updated, unchanged, rejected, error_count, created_codes, message';

function batchParams(b: BatchRecord): StoredValue[] {
  return [
    b.fileName,
    b.sha256,
    b.format,
    b.actor,
    b.startedAt,
    b.finishedAt,
    b.status,
    b.rows,
    b.inserted,
    b.updated,
    b.unchanged,
    b.rejected,
    b.errorCount,
    b.createdCodes,
    b.message,
  ];
}

export function insertBatch(db: Db, batch: BatchRecord): number {
  const result = db.$client
    .prepare(`INSERT INTO import_batches (${BATCH_COLUMNS}) VALUES (${BATCH_COLUMNS.split(',').map(() => '?').join(', ')})`)
    .run(...batchParams(batch));
  return Number(result.lastInsertRowid);
}

export function updateBatch(db: Db, id: number, batch: BatchRecord): void {
  const sets = BATCH_COLUMNS.split(',')
    .map((c) => `${c.trim()} = ?`)
    .join(', ');
  db.$client.prepare(`UPDATE import_batches SET ${sets} WHERE id = ?`).run(...batchParams(batch), id);
}

const BATCH_SELECT = `SELECT id, file_name AS fileName, sha256, format, actor, started_at AS startedAt, finished_at AS finishedAt, status, rows, inserted,
  updated, unchanged, rejected, error_count AS errorCount, created_codes AS createdCodes, message FROM import_batches`;

export function listBatches(db: Db, limit: number): ImportBatch[] {
  return stmt(db, `${BATCH_SELECT} ORDER BY id DESC LIMIT ?`).all(limit) as ImportBatch[];
}

export function getBatch(db: Db, id: number): ImportBatch | undefined {
  return stmt(db, `${BATCH_SELECT} WHERE id = ?`).get(id) as ImportBatch | undefined;
}

export function lastCommittedBatch(db: Db): ImportBatch | null {
  return (stmt(db, `${BATCH_SELECT} WHERE status = 'committed' ORDER BY id DESC LIMIT 1`).get() as ImportBatch | undefined) ?? null;
}

export function storeImportErrors(db: Db, batchId: number, errors: readonly ImportErrorRow[]): void {
  const insert = stmt(db, 'INSERT INTO import_errors (batch_id, line, field, message) VALUES (?, ?, ?, ?)');
  for (const e of errors) insert.run(batchId, e.line, e.field, e.message);
}

export function importErrorsOf(db: Db, batchId: number, limit = Number.MAX_SAFE_INTEGER): ImportErrorRow[] {
  return stmt(db, 'SELECT line, field, message FROM import_errors WHERE batch_id = ? ORDER BY line, id LIMIT ?').all(batchId, limit) as ImportErrorRow[];
}

export function iterateImportErrors(db: Db, batchId: number): IterableIterator<ImportErrorRow> {
  return db.$client.prepare('SELECT line, field, message FROM import_errors WHERE batch_id = ? ORDER BY line, id').iterate(batchId) as IterableIterator<ImportErrorRow>;
}
