// The import's write path: prepared statements over the raw connection,
// because this loop runs once per row of files with millions of rows.
import type { Statement } from 'better-sqlite3';
import { REFERRAL_FIELDS, type BatchRecord, type ReferenceTable, type StoredValue } from '../../rows';
import type { Db } from '../client';

export { REFERENCE_TABLES, storedValues as rowParams, type BatchRecord, type ReferenceTable, type StoredValue } from '../../rows';

/** Stored columns of a referral, in the order of storedValues: the fields but the id ("group" is stored as group_code). */
export const REFERRAL_COLUMNS = REFERRAL_FIELDS.filter((f) => f !== 'referral_id').map((f) => (f === 'group' ? 'group_code' : f));

/** Statements of one import, prepared once per import on its connection. */
export function prepareImportStatements(db: Db) {
  const sqlite = db.$client;
  const cols = REFERRAL_COLUMNS.join(', ');
  const placeholders = REFERRAL_COLUMNS.map(() => '?').join(', ');
  sqlite.exec(
    'CREATE TEMP TABLE IF NOT EXISTS import_seen (referral_id TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID',
  );
  sqlite.exec('DELETE FROM temp.import_seen');
  const markSeen = sqlite.prepare('INSERT INTO temp.import_seen (referral_id, line) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const seenLine = sqlite.prepare('SELECT line FROM temp.import_seen WHERE referral_id = ?').pluck();
  const insert = sqlite.prepare(
    `INSERT INTO referrals (referral_id, ${cols}, row_digest, created_batch, updated_batch) VALUES (?, ${placeholders}, ?, ?, ?)`,
  );
  const existing = sqlite.prepare(`SELECT ${cols} FROM referrals WHERE referral_id = ?`).raw();
  const digest = sqlite.prepare('SELECT row_digest FROM referrals WHERE referral_id = ?').pluck();
  const update = sqlite.prepare(
    `UPDATE referrals SET ${REFERRAL_COLUMNS.map((c) => `${c} = ?`).join(', ')}, row_digest = ?, updated_batch = coalesce(?, updated_batch) WHERE referral_id = ?`,
  );
  const history = sqlite.prepare(
    'INSERT INTO referral_history (referral_id, batch_id, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)',
  );
  const codeInserts: Record<ReferenceTable, Statement<unknown[]>> = {
    platforms: sqlite.prepare("INSERT INTO platforms (code, name, type) VALUES (?, ?, 'other')"),
    groups: sqlite.prepare('INSERT INTO groups (code, name, ideology) VALUES (?, ?, ?)'),
    units: sqlite.prepare('INSERT INTO units (code, name) VALUES (?, ?)'),
    campaigns: sqlite.prepare('INSERT INTO campaigns (code, name) VALUES (?, ?)'),
  };

  return {
    /** The line where `referralId` was first seen in this file, or null if this is the first time. */
    seen(referralId: string, line: number): number | null {
      if (markSeen.run(referralId, line).changes === 1) return null;
      return seenLine.get(referralId) as number;
    },
    insert(referralId: string, params: StoredValue[], rowDigest: number, batchId: number): void {
      insert.run(referralId, ...params, rowDigest, batchId, batchId);
    },
    /** The stored digest of the referral with this id, or undefined if there is none. */
    digest(referralId: string): number | undefined {
      return digest.get(referralId) as number | undefined;
    },
    existing(referralId: string): StoredValue[] | undefined {
      return existing.get(referralId) as StoredValue[] | undefined;
    },
    /** Writes new values; `batchId` null keeps the row's last changing batch (only the digest was stale). */
    update(referralId: string, params: StoredValue[], rowDigest: number, batchId: number | null): void {
      update.run(...params, rowDigest, batchId, referralId);
    },
    history(referralId: string, batchId: number, field: string, oldValue: string | null, newValue: string | null): void {
      history.run(referralId, batchId, field, oldValue, newValue);
    },
    createCode(table: ReferenceTable, code: string): void {
      // DATA-MODEL.md: created on the fly with name = code, type/ideology = other.
      if (table === 'groups') codeInserts.groups.run(code, code, code === 'unattributed' ? 'unattributed' : 'other');
      else codeInserts[table].run(code, code);
    },
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
