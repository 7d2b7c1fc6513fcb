// The floor the importer is measured against (npm run bench:import): the
// rows inserted with one prepared statement in one transaction, nothing
// else (no digest, history, duplicate check or code lookup). SQLite-only.
import { REFERRAL_COLUMNS, storedValues, type ReferenceData, type StoredReferral } from '../rows';
import { openDatabase } from './client';
import { insertBatch } from './queries/import';
import { upsertReferenceData } from './queries/reference';

/** Inserts `rows` into the SQLite file at `file`; returns the milliseconds of the insert loop alone. */
export function bareInsert(file: string, reference: ReferenceData, rows: readonly StoredReferral[]): number {
  const db = openDatabase(file);
  try {
    const sqlite = db.$client;
    upsertReferenceData(db, reference);
    const batch = insertBatch(db, {
      fileName: 'bare', sha256: '', format: 'csv', actor: 'bench', startedAt: 0, finishedAt: 0, status: 'committed',
      rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errorCount: 0, createdCodes: '{}', message: null,
    });
    const insert = sqlite.prepare(
      `INSERT INTO referrals (referral_id, ${REFERRAL_COLUMNS.join(', ')}, row_digest, created_batch, updated_batch) VALUES (?, ${REFERRAL_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?)`,
    );
    const started = performance.now();
    sqlite.exec('BEGIN IMMEDIATE');
    for (const row of rows) insert.run(row.referralId, ...storedValues(row), 0, batch, batch);
    sqlite.exec('COMMIT');
    return performance.now() - started;
  } finally {
    db.$client.close();
  }
}
