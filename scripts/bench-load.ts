// npm run bench:load -- [--rows N] [--db FILE] [--seconds S] [--connections C] [--engine postgres [--url ADMIN_URL]]:
// against `next start` on an N-row demo database (default 1,000,000), C
// connections (20) for S seconds (20) on a trivial page, the overview, the
// providers page and three API endpoints with varied filters; the three
// pages again asked for gzip, as browsers ask; then the first six while a
// 1,000,000-row import runs in another process. With --engine postgres:
// two app servers on one PostgreSQL database (a private server started for
// the run, or the server of --url), the load spread over both as a load
// balancer would, and the import sent through the first one's upload. Load
// by wrk (scripts/lib/wrk.ts says why not autocannon). Only 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { benchToken, buildApp, demoDatabase, requestHeaders, startApp, type BenchDatabase } from './lib/bench-server';
import { freshBenchDatabase } from './lib/bench-postgres';
import { startPostgresCluster, type PostgresCluster } from './lib/postgres-cluster';
import { assertWrk, runLoad, type LoadFigures } from './lib/wrk';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    db: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '20' },
    engine: { type: 'string', default: 'sqlite' },
    url: { type: 'string' },
  },
});
if (values.engine !== 'sqlite' && values.engine !== 'postgres') throw new Error(`--engine must be sqlite or postgres, not ${values.engine}`);
const onPostgres = values.engine === 'postgres';
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

function load(bases: string[], paths: string[], auth: Record<string, string>): Promise<LoadFigures> {
  return runLoad(bases, paths.map((p) => ({ path: p, headers: requestHeaders(p, auth) })), { connections, seconds });
}

/** The database under load: a copy of the demo file (the import below changes it), or a new PostgreSQL database with the same rows. */
async function workDatabase(engine: 'sqlite' | 'postgres'): Promise<{ database: BenchDatabase; cleanUp: () => void }> {
  if (engine === 'sqlite') {
    await demoDatabase(dbPath, rows);
    const work = path.join(os.tmpdir(), `bench-load-${process.pid}.db`);
    fs.copyFileSync(dbPath, work);
    return { database: work, cleanUp: () => [work, `${work}-wal`, `${work}-shm`].forEach((f) => fs.rmSync(f, { force: true })) };
  }
  let cluster: PostgresCluster | undefined;
  const admin = values.url ?? (cluster = await startPostgresCluster()).adminUrl;
  const database = { engine: 'postgres' as const, url: await freshBenchDatabase(admin, `bench_load_${rows}`) };
  const t = performance.now();
  await demoDatabase(database, rows);
  console.log(`PostgreSQL (${values.url ? 'the server of --url' : 'a private server started for this run: fsync off'}): ${rows.toLocaleString('en-GB')} demo rows loaded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return { database, cleanUp: () => cluster?.stop() };
}

/** The 1,000,000-row import during the load: `npm run import` in another process, or on PostgreSQL an upload through the first server (answered at its end). */
function startImport(database: BenchDatabase, batch: string, base: string, headers: Record<string, string>): { done: Promise<string>; stop: () => void } {
  if (typeof database === 'string') {
    const importer: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'import.ts'), batch], { env: { ...process.env, DATABASE_PATH: database }, stdio: 'ignore' });
    const done = new Promise<string>((resolve) => importer.once('exit', (code) => resolve(code === 0 ? 'committed' : `exited with ${code}`)));
    return { done, stop: () => importer.kill('SIGTERM') };
  }
  // node:http, not fetch: the answer comes when the import ends, and fetch gives up waiting for it after 300 s.
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(batch)], { type: 'text/csv' }), path.basename(batch));
  const encoded = new Response(form);
  let request: http.ClientRequest | undefined;
  const done = encoded.arrayBuffer().then(
    (body) =>
      new Promise<string>((resolve) => {
        const h = { ...headers, Accept: 'application/json', Origin: base, 'Content-Type': encoded.headers.get('content-type')!, 'Content-Length': String(body.byteLength) };
        request = http.request(`${base}/api/v1/imports`, { method: 'POST', headers: h }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve(res.statusCode === 201 ? JSON.parse(text).result.status : `answered ${res.statusCode}: ${text}`));
        });
        request.on('error', (err) => resolve(`failed: ${err.message}`));
        request.end(Buffer.from(body));
      }),
  );
  return { done, stop: () => request?.destroy() };
}

async function main() {
  assertWrk();
  const batch = path.join(os.tmpdir(), `bench-load-${process.pid}.csv`);
  console.log('Building the app and writing a 1,000,000-row batch for the import…');
  buildApp();
  // Another seed: the same referral ids with other values, so the import updates every row.
  writeDemoCsv(batch, { rows: 1_000_000, seed: 12 });
  try {
    if (!onPostgres) return await scenario('sqlite', batch);
    // The same load on one server on the SQLite file, as the baseline of this run, then on two servers on PostgreSQL.
    console.log('\n## SQLite, one app server (the baseline of this run)');
    await scenario('sqlite', batch);
    console.log('\n## PostgreSQL, two app servers on one database');
    await scenario('postgres', batch);
  } finally {
    fs.rmSync(batch, { force: true });
  }
}

/** The load on one engine: one app server on the SQLite file, or two on one PostgreSQL database. */
async function scenario(engine: 'sqlite' | 'postgres', batch: string): Promise<void> {
  const { database, cleanUp } = await workDatabase(engine);
  // On PostgreSQL the batch goes through the first server's upload: room for its 163 MB.
  if (engine === 'postgres') process.env.IMPORT_MAX_MB = '400';
  const headers = await benchToken(database);
  const servers: Awaited<ReturnType<typeof startApp>>[] = [];
  let running: ReturnType<typeof startImport> | undefined;
  try {
    for (let k = 0; k < (engine === 'postgres' ? 2 : 1); k++) servers.push(await startApp(database, headers));
    const bases = servers.map((s) => s.base);
    const [base] = bases;
    // Warm caches: every path once on every server; the size of each page as sent.
    const sizes: string[] = [];
    for (const b of bases)
      for (const [name, paths] of TARGETS)
        for (const p of paths) {
          const bytes = (await (await fetch(b + p, { headers: requestHeaders(p, headers) })).arrayBuffer()).byteLength;
          if (!p.startsWith('/api/') && b === base) sizes.push(`${name} ${p}: ${(bytes / 1000).toFixed(0)} kB`);
        }
    console.log(`\nPages as sent (uncompressed):\n${sizes.map((s) => `  ${s}`).join('\n')}`);
    const spread = bases.length > 1 ? `, spread over ${bases.length} app servers on one PostgreSQL database` : '';
    console.log(`\n${rows.toLocaleString('en-GB')} rows, ${connections} connections${spread}, ${seconds} s per target; requests/s (mean), latency ms:\n`);
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
    for (const [name, paths] of TARGETS) quiet.push([name, await load(bases, paths, headers)]);
    table('Warm caches, no import', quiet, quiet[0][1].rps);
    const zipped: [string, LoadFigures][] = [];
    for (const [name, paths] of TARGETS.slice(0, 3)) zipped.push([`${name}, gzip`, await load(bases, paths, { ...headers, ...GZIP })]);
    table('The pages asked for gzip (as browsers ask; Next.js compresses every answer as it sends it)', zipped, zipped[0][1].rps);

    let importDone = false;
    let importMs = 0;
    const started = performance.now();
    running = startImport(database, batch, base, headers);
    const outcome = running.done.then((result) => ((importDone = true), (importMs = performance.now() - started), result));
    const busy: [string, LoadFigures][] = [];
    for (const [name, paths] of TARGETS) busy.push([`${name}${importDone ? ' (import finished)' : ''}`, await load(bases, paths, headers)]);
    table(`While a 1,000,000-row import runs ${engine === 'postgres' ? 'through the first server (its upload)' : 'in another process'}`, busy, busy[0][1].rps);
    const result = await outcome;
    const committedAt = performance.now();
    console.log(`The import ${result} in ${(importMs / 1000).toFixed(0)} s.`);
    // Every server: until it answers from the new import (it changed every row: each reads the facts again, answering from the version before meanwhile).
    const batchId = (await (await fetch(`${base}/api/v1/imports`, { headers })).json()).batches[0]?.id;
    for (const b of bases) {
      let after = await (await fetch(`${b}/api/v1/summary`, { headers })).json();
      const first = after.data.import;
      while ((after.data.newer_version_pending || after.data.import !== batchId) && performance.now() - committedAt < 120_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await (await fetch(`${b}/api/v1/summary`, { headers })).json();
      }
      const server = bases.length > 1 ? ` on server ${bases.indexOf(b) + 1}` : '';
      console.log(
        `After the commit${server}: the first answer of import ${first}, the figures of import ${after.data.import} (${after.total.toLocaleString('en-GB')} referrals) ${((performance.now() - committedAt) / 1000).toFixed(1)} s after the commit.`,
      );
    }
    console.log('\nLatency: wrk\'s, corrected for coordinated omission (stricter than the latencies requests had).');
    console.log('non-2xx: every answer ≥ 400 (wrk), plus any other answer outside 2xx among those a probe asked five times a second (in brackets).');
    console.log('Targets: zero errors and zero non-2xx; dashboard pages ≥ 0.8x the trivial page (warm); p99 ≤ 1,000 ms without import, ≤ 2,000 ms during it.');
  } finally {
    running?.stop();
    await Promise.all(servers.map((s) => new Promise((resolve) => (s.server.exitCode !== null ? resolve(null) : (s.server.once('exit', resolve), s.server.kill('SIGTERM'))))));
    cleanUp();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
