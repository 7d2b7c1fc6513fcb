// npm run bench:load -- [--rows N] [--db FILE] [--seconds S] [--connections C]:
// against `next start` on an N-row demo database (default 1,000,000), C
// connections (20) for S seconds (20) on a trivial page, the overview, the
// providers page and three API endpoints with varied filters; the three
// pages again asked for gzip, as browsers ask; then the first six while a
// 1,000,000-row import runs in another process. Load by wrk
// (scripts/lib/wrk.ts says why not autocannon). Only 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { buildApp, demoDatabase, requestHeaders, startApp } from './lib/bench-server';
import { assertWrk, runLoad, type LoadFigures } from './lib/wrk';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, db: { type: 'string' }, seconds: { type: 'string', default: '20' }, connections: { type: 'string', default: '20' } },
});
const rows = Number(values.rows);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const dbPath = values.db ?? path.join(os.tmpdir(), `bench-metrics-${rows}.db`);
const AS_OF = '2026-11-01T00:00:00Z';

/** Each target: a name and the request paths it cycles through (varied filters). Pages are asked as a browser asks for a document. */
const TARGETS: [string, string[]][] = [
  ['trivial page (/about)', ['/about']],
  ['overview (/)', [`/?as_of=${AS_OF}`, `/?as_of=${AS_OF}&from=2026-05-01&to=2026-10-31`]],
  ['providers (/providers)', [`/providers?as_of=${AS_OF}`, `/providers?as_of=${AS_OF}&kind=removal_order`]],
  ['API summary', [`/api/v1/summary?as_of=${AS_OF}`, `/api/v1/summary?as_of=${AS_OF}&platform=vidora`, `/api/v1/summary?as_of=${AS_OF}&language=ar&from=2026-01-01`]],
  ['API breakdown', [`/api/v1/breakdown?by=platform&as_of=${AS_OF}`, `/api/v1/breakdown?by=group&as_of=${AS_OF}&kind=removal_order`]],
  ['API volumes', [`/api/v1/volumes?bucket=month&by=group&as_of=${AS_OF}`, `/api/v1/volumes?by=language&as_of=${AS_OF}&platform=chirpnet`]],
];

const GZIP = { 'Accept-Encoding': 'gzip, deflate, br' };

function load(base: string, paths: string[], auth: Record<string, string>): Promise<LoadFigures> {
  return runLoad(base, paths.map((p) => ({ path: p, headers: requestHeaders(p, auth) })), { connections, seconds });
}

async function main() {
  assertWrk();
  await demoDatabase(dbPath, rows);
  // The database under load is a copy: the import below changes it.
  const work = path.join(os.tmpdir(), `bench-load-${process.pid}.db`);
  fs.copyFileSync(dbPath, work);
  const batch = path.join(os.tmpdir(), `bench-load-${process.pid}.csv`);
  console.log('Building the app and writing a 1,000,000-row batch for the import…');
  buildApp();
  // Another seed: the same referral ids with other values, so the import updates every row.
  writeDemoCsv(batch, { rows: 1_000_000, seed: 12 });
  const { base, server, headers } = await startApp(work);
  let importer: ChildProcess | undefined;
  try {
    // Warm caches: every path once; the size of each page as sent.
    const sizes: string[] = [];
    for (const [name, paths] of TARGETS)
      for (const p of paths) {
        const bytes = (await (await fetch(base + p, { headers: requestHeaders(p, headers) })).arrayBuffer()).byteLength;
        if (!p.startsWith('/api/')) sizes.push(`${name} ${p}: ${(bytes / 1000).toFixed(0)} kB`);
      }
    console.log(`\nPages as sent (uncompressed):\n${sizes.map((s) => `  ${s}`).join('\n')}`);
    console.log(`\n${rows.toLocaleString('en-GB')} rows, ${connections} connections, ${seconds} s per target; requests/s (mean), latency ms:\n`);
    const table = (title: string, results: [string, LoadFigures][], trivial: number) => {
      console.log(`### ${title}\n`);
      console.log('| target | requests/s | vs trivial page | p50 | p99 | errors | non-2xx (probed) |');
      console.log('|---|---:|---:|---:|---:|---:|---:|');
      const ms = (v: number) => v.toFixed(v < 10 ? 1 : 0);
      for (const [name, f] of results)
        console.log(`| ${name} | ${f.rps.toFixed(0)} | ${(f.rps / trivial).toFixed(2)}x | ${ms(f.p50)} | ${ms(f.p99)} | ${f.errors} | ${f.non2xx} (${f.probed}) |`);
      console.log('');
    };
    const quiet: [string, LoadFigures][] = [];
    for (const [name, paths] of TARGETS) quiet.push([name, await load(base, paths, headers)]);
    table('Warm caches, no import', quiet, quiet[0][1].rps);
    const zipped: [string, LoadFigures][] = [];
    for (const [name, paths] of TARGETS.slice(0, 3)) zipped.push([`${name}, gzip`, await load(base, paths, { ...headers, ...GZIP })]);
    table('The pages asked for gzip (as browsers ask; Next.js compresses every answer as it sends it)', zipped, zipped[0][1].rps);

    let importDone = false;
    let importMs = 0;
    const started = performance.now();
    importer = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'import.ts'), batch], { env: { ...process.env, DATABASE_PATH: work }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => importer!.once('exit', (code) => ((importDone = true), (importMs = performance.now() - started), resolve(code))));
    const busy: [string, LoadFigures][] = [];
    for (const [name, paths] of TARGETS) busy.push([`${name}${importDone ? ' (import finished)' : ''}`, await load(base, paths, headers)]);
    table('While a 1,000,000-row import runs in another process', busy, busy[0][1].rps);
    const code = await exited;
    console.log(`The import ${code === 0 ? 'committed' : `exited with ${code}`} in ${(importMs / 1000).toFixed(0)} s.`);
    const after = await (await fetch(`${base}/api/v1/summary?as_of=2027-01-01T00:00:00Z`, { headers })).json();
    console.log(`First request after the commit: ${after.total.toLocaleString('en-GB')} referrals.`);
    console.log('\nLatency: wrk\'s, corrected for coordinated omission (stricter than the latencies requests had).');
    console.log('non-2xx: every answer ≥ 400 (wrk), plus any other answer outside 2xx among those a probe asked five times a second (in brackets).');
    console.log('Targets: zero errors and zero non-2xx; dashboard pages ≥ 0.8x the trivial page (warm); p99 ≤ 1,000 ms without import, ≤ 2,000 ms during it.');
  } finally {
    importer?.kill('SIGTERM');
    server.kill('SIGTERM');
    for (const f of [work, `${work}-wal`, `${work}-shm`, batch]) fs.rmSync(f, { force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
