// One measured step of `npm run bench:import`, run in its own process so
// that its peak RSS is its own. Prints one JSON line.
//   bare <db> <rows> <seed>   bare better-sqlite3 prepared inserts of the generated rows
//   import <db> <csv>         the real importer, end to end from the CSV file
//   pg-bare <url> <rows> <seed>  a bare COPY of the generated rows into PostgreSQL's referrals table
//   pg-import <url> <csv>        the real importer on PostgreSQL (DATABASE_URL), end to end
import { openStore } from '@/db/open';
import { bareCopy } from '@/db/postgres/bare-copy';
import { SqliteStore } from '@/db/sqlite/store';
import type { Store } from '@/db/store';
import { bareInsert } from '@/db/sqlite/bare-insert';
import { generateReferrals } from '@/lib/demo/generator';
import { demoReferenceData } from '@/lib/demo/seed';
import { importFile } from '@/lib/import/import';
import { validateRecord, type ReferralRow } from '@/lib/import/validate-row';

const [mode, dbPath, ...rest] = process.argv.slice(2);

function report(rows: number, ms: number, extra: Record<string, unknown> = {}) {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ mode, rows, ms, rowsPerSecond: rows / (ms / 1000), maxRssMb, ...extra }));
}

async function main(): Promise<void> {
  if (mode === 'bare' || mode === 'pg-bare') {
    const rows = Number(rest[0]);
    const seed = Number(rest[1]);
    // The rows are prepared in memory first: only the insert loop (or the COPY) is timed.
    const prepared: ReferralRow[] = [];
    const errors: never[] = [];
    generateReferrals({ rows, seed }, (record, line) => prepared.push(validateRecord(line, record, Date.now(), errors)!));
    report(rows, mode === 'bare' ? bareInsert(dbPath, demoReferenceData(), prepared) : await bareCopy(dbPath, demoReferenceData(), prepared));
  } else if (mode === 'import' || mode === 'pg-import') {
    const store: Store = mode === 'import' ? SqliteStore.open(dbPath) : openStore({ engine: 'postgres', url: dbPath });
    const started = performance.now();
    const result = await importFile(store, rest[0], { actor: 'bench' });
    const ms = performance.now() - started;
    await store.close();
    if (result.status !== 'committed') throw new Error(`import rejected: ${result.message}`);
    report(result.rows, ms, { inserted: result.inserted, unchanged: result.unchanged });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
