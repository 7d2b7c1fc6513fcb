// npm run bench:import -- [--rows N] [--engine postgres [--url ADMIN_URL]]:
// the import benchmark of issues 2 and 18. Makes a CSV of N synthetic rows
// (default 1,000,000), then in separate processes: a bare better-sqlite3
// prepared-insert loop over the same rows into the same schema; the real
// importer on the file; the same file again. With --engine postgres the
// same three on PostgreSQL follow in the same run (the floor there: a bare
// COPY of the same rows into the same schema), each on a new database of
// the server at --url (a superuser's address), or of a private server
// started for the run from Debian's PostgreSQL binaries.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { freshBenchDatabase } from './lib/bench-postgres';
import { startPostgresCluster, type PostgresCluster } from './lib/postgres-cluster';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '7' },
    repeat: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'sqlite' },
    url: { type: 'string' },
  },
});
if (values.engine !== 'sqlite' && values.engine !== 'postgres') throw new Error(`--engine must be sqlite or postgres, not ${values.engine}`);
const withPostgres = values.engine === 'postgres';
const rows = Number(values.rows);
const seed = Number(values.seed);
// This machine's speed varies from run to run: each step runs `repeat`
// times (alternating, so drift hits all alike) and the median is reported.
const repeat = Math.max(1, Number(values.repeat));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
const csv = path.join(dir, 'referrals.csv');

interface Step {
  mode: string;
  rows: number;
  ms: number;
  rowsPerSecond: number;
  maxRssMb: number;
}

function median(steps: Step[]): Step {
  const sorted = [...steps].sort((a, b) => a.ms - b.ms);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], maxRssMb: Math.max(...steps.map((s) => s.maxRssMb)) };
}

function fmtRate(s: Step): string {
  return Math.round(s.rowsPerSecond).toLocaleString('en-GB');
}

function child(...args: string[]): Step {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'bench', 'import-child.ts'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Step;
}

async function main(): Promise<void> {
let cluster: PostgresCluster | undefined;
try {
  const admin = withPostgres ? (values.url ?? (cluster = await startPostgresCluster()).adminUrl) : '';
  const t = performance.now();
  writeDemoCsv(csv, { rows, seed });
  const mb = fs.statSync(csv).size / 1e6;
  console.log(`Generated ${rows.toLocaleString('en-GB')} rows, ${mb.toFixed(0)} MB of CSV, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const runs: { bare: Step[]; first: Step[]; again: Step[] } = { bare: [], first: [], again: [] };
  for (let r = 0; r < repeat; r++) {
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.db') || f.endsWith('-wal') || f.endsWith('-shm')) fs.rmSync(path.join(dir, f));
    runs.bare.push(child('bare', path.join(dir, 'bare.db'), String(rows), String(seed)));
    runs.first.push(child('import', path.join(dir, 'import.db'), csv));
    runs.again.push(child('import', path.join(dir, 'import.db'), csv));
    console.log(
      `run ${r + 1}/${repeat}: bare ${fmtRate(runs.bare[r])}, import ${fmtRate(runs.first[r])}, again ${fmtRate(runs.again[r])} rows/s`,
    );
  }
  const pgRuns: { bare: Step[]; first: Step[]; again: Step[] } = { bare: [], first: [], again: [] };
  for (let r = 0; withPostgres && r < repeat; r++) {
    pgRuns.bare.push(child('pg-bare', await freshBenchDatabase(admin, 'bench_import_bare'), String(rows), String(seed)));
    const url = await freshBenchDatabase(admin, 'bench_import');
    pgRuns.first.push(child('pg-import', url, csv));
    pgRuns.again.push(child('pg-import', url, csv));
    console.log(
      `PostgreSQL run ${r + 1}/${repeat}: bare COPY ${fmtRate(pgRuns.bare[r])}, import ${fmtRate(pgRuns.first[r])}, again ${fmtRate(pgRuns.again[r])} rows/s`,
    );
  }
  const bare = median(runs.bare);
  const first = median(runs.first);
  const again = median(runs.again);

  const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
  console.log(`\nMedian of ${repeat} runs (peak RSS: the highest of the runs):`);
  console.log('\n| step | rows/s | time (s) | peak RSS (MB) | vs bare loop |');
  console.log('|---|---:|---:|---:|---:|');
  const line = (name: string, s: Step) =>
    console.log(`| ${name} | ${fmt(s.rowsPerSecond)} | ${(s.ms / 1000).toFixed(2)} | ${fmt(s.maxRssMb)} | ${(s.rowsPerSecond / bare.rowsPerSecond).toFixed(2)}x |`);
  line('bare better-sqlite3 insert loop (rows already in memory)', bare);
  line('import, first time (CSV → validated upsert, all inserted)', first);
  line('import again, same file (all unchanged)', again);
  console.log('\nTargets: first import ≥ 0.35x bare and ≥ 150,000 rows/s; peak RSS ≤ 400 MB; re-import ≥ 2x as fast as the first.');
  const checks = [
    ['first import ≥ 0.35x bare', first.rowsPerSecond >= 0.35 * bare.rowsPerSecond],
    ['first import ≥ 150,000 rows/s', first.rowsPerSecond >= 150_000],
    ['peak RSS ≤ 400 MB', first.maxRssMb <= 400 && again.maxRssMb <= 400],
    ['re-import ≥ 2x faster', again.rowsPerSecond >= 2 * first.rowsPerSecond],
  ] as const;
  for (const [name, ok] of checks) console.log(`${ok ? 'met ' : 'MISSED'}  ${name}`);

  if (withPostgres) {
    const pgBare = median(pgRuns.bare);
    const pgFirst = median(pgRuns.first);
    const pgAgain = median(pgRuns.again);
    console.log(`\nPostgreSQL (${values.url ? 'the server of --url' : 'a private server started for this run'}), median of ${repeat} runs, beside SQLite's:`);
    console.log('\n| step | rows/s | time (s) | peak RSS (MB) | vs bare COPY | vs SQLite import |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const pgLine = (name: string, x: Step, sqlite: Step | null) =>
      console.log(
        `| ${name} | ${fmt(x.rowsPerSecond)} | ${(x.ms / 1000).toFixed(2)} | ${fmt(x.maxRssMb)} | ${(x.rowsPerSecond / pgBare.rowsPerSecond).toFixed(2)}x | ${sqlite ? `${(x.rowsPerSecond / sqlite.rowsPerSecond).toFixed(2)}x` : ''} |`,
      );
    pgLine('bare COPY into referrals (rows already in memory as COPY text)', pgBare, null);
    pgLine('import, first time (CSV → COPY into staging → merge)', pgFirst, first);
    pgLine('import again, same file (all unchanged)', pgAgain, again);
    console.log('\nTargets (PostgreSQL): ≥ 100,000 rows/s end to end; ≥ 0.5x the bare COPY; re-import ≥ 2x as fast as the first.');
    const pgChecks = [
      ['import ≥ 100,000 rows/s', pgFirst.rowsPerSecond >= 100_000],
      ['import ≥ 0.5x bare COPY', pgFirst.rowsPerSecond >= 0.5 * pgBare.rowsPerSecond],
      ['re-import ≥ 2x faster', pgAgain.rowsPerSecond >= 2 * pgFirst.rowsPerSecond],
    ] as const;
    for (const [name, ok] of pgChecks) console.log(`${ok ? 'met ' : 'MISSED'}  ${name}`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  cluster?.stop();
}
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
