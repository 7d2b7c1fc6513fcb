// One measured step of `npm run bench:import`, run in its own process so
// that its peak RSS is its own. Prints one JSON line.
//   bare <db> <rows> <seed>   bare better-sqlite3 prepared inserts of the generated rows
//   import <db> <csv>         the real importer, end to end from the CSV file
import { openDatabase } from '@/db/sqlite/client';
import { REFERRAL_COLUMNS, insertBatch, rowParams } from '@/db/sqlite/queries/import';
import { upsertReferenceData } from '@/db/sqlite/queries/reference';
import { generateReferrals } from '@/lib/demo/generator';
import { demoReferenceData } from '@/lib/demo/seed';
import { importFile } from '@/lib/import/import';
import { validateRecord, type ReferralRow } from '@/lib/import/validate-row';

const [mode, dbPath, ...rest] = process.argv.slice(2);
const db = openDatabase(dbPath);

function report(rows: number, ms: number, extra: Record<string, unknown> = {}) {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ mode, rows, ms, rowsPerSecond: rows / (ms / 1000), maxRssMb, ...extra }));
}

if (mode === 'bare') {
  const rows = Number(rest[0]);
  const seed = Number(rest[1]);
  // The rows are prepared in memory first: only the insert loop is timed.
  const prepared: ReferralRow[] = [];
  const errors: never[] = [];
  generateReferrals({ rows, seed }, (record, line) => prepared.push(validateRecord(line, record, Date.now(), errors)!));
  const sqlite = db.$client;
  upsertReferenceData(db, demoReferenceData());
  const batch = insertBatch(db, {
    fileName: 'bare', sha256: '', format: 'csv', actor: 'bench', startedAt: 0, finishedAt: 0, status: 'committed',
    rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errorCount: 0, createdCodes: '{}', message: null,
  });
  const insert = sqlite.prepare(
    `INSERT INTO referrals (referral_id, ${REFERRAL_COLUMNS.join(', ')}, row_digest, created_batch, updated_batch) VALUES (?, ${REFERRAL_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?)`,
  );
  const started = performance.now();
  sqlite.exec('BEGIN IMMEDIATE');
  for (const row of prepared) insert.run(row.referralId, ...rowParams(row), 0, batch, batch);
  sqlite.exec('COMMIT');
  report(rows, performance.now() - started);
} else if (mode === 'import') {
  const started = performance.now();
  const result = importFile(db, rest[0], { actor: 'bench' });
  const ms = performance.now() - started;
  if (result.status !== 'committed') throw new Error(`import rejected: ${result.message}`);
  report(result.rows, ms, { inserted: result.inserted, unchanged: result.unchanged });
} else {
  throw new Error(`unknown mode ${mode}`);
}
db.$client.close();
