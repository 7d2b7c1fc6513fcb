// The floor the PostgreSQL importer is measured against (npm run
// bench:import -- --engine postgres): the rows, already validated and
// written as COPY text in memory, copied straight into the referrals table
// of the same schema in one transaction; nothing else (no staging, merge,
// history, duplicate check or code lookup).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { REFERRAL_COLUMNS, storedValues, type ReferenceData, type StoredReferral } from '../rows';
import { openPool } from './client';
import { copyValue, insertBatch } from './queries/import';
import { upsertReferenceData } from './queries/reference';

/** Copies `rows` into the (migrated, empty) database at `url`; the milliseconds of the COPY and its commit alone. */
export async function bareCopy(url: string, reference: ReferenceData, rows: readonly StoredReferral[]): Promise<number> {
  const pool = openPool(url, 1);
  try {
    const client = await pool.connect();
    try {
      await upsertReferenceData(client, reference);
      const batch = await insertBatch(client, {
        fileName: 'bare', sha256: '', format: 'csv', actor: 'bench', startedAt: 0, finishedAt: 0, status: 'committed',
        rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errorCount: 0, createdCodes: '{}', message: null,
      });
      const pieces: string[] = [];
      for (let k = 0; k < rows.length; k += 5000)
        pieces.push(rows.slice(k, k + 5000).map((r) => `${copyValue(r.referralId)}\t${storedValues(r).map(copyValue).join('\t')}\t0\t${batch}\t${batch}\n`).join(''));
      const started = performance.now();
      await client.query('BEGIN');
      await pipeline(Readable.from(pieces), client.query(copyFrom(`COPY referrals (referral_id, ${REFERRAL_COLUMNS.join(', ')}, row_digest, created_batch, updated_batch) FROM STDIN`)));
      await client.query('COMMIT');
      return performance.now() - started;
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}
