// npm run bench:start -- [--rows N] [--db FILE]: how soon the app's server is
// ready on an N-row demo database (default 10,000,000), and how soon it
// serves the figures of an import made by another process (issue 17).
// In one run, side by side: a start with no facts kept (every row read from
// the database, as before) and a start with the facts kept by the first
// (lib/metrics/fact-file.ts). "Ready" is the server answering with its
// start-up figures computed ("Metrics ready"). Then, on the second server,
// an import of 5,000 new rows by another process: the first summary
// answered after the commit, and when the summary of the new version is.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { csvLine } from '@/lib/csv';
import { generateReferrals } from '@/lib/demo/generator';
import { FIELDS } from '@/lib/import/validate-row';
import { buildApp, demoDatabase, startApp } from './lib/bench-server';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000000' }, db: { type: 'string' } } });
const rows = Number(values.rows);
const source = values.db ?? path.join(os.tmpdir(), `bench-metrics-${rows}.db`);
// A copy: the import below must not change the demo database the other benchmarks reuse.
const dbPath = path.join(os.tmpdir(), `bench-start-${process.pid}.db`);
const kept = `${dbPath}.facts`;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function stop(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}

/** Until the server has written its keep file (a write is done when its temporary file is gone). */
async function keptWritten(): Promise<number> {
  const dir = path.dirname(kept);
  const temporary = (f: string) => f.startsWith(`${path.basename(kept)}.`) && f.endsWith('.tmp');
  for (;;) {
    if (fs.existsSync(kept) && !fs.readdirSync(dir).some(temporary)) return fs.statSync(kept).size;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function start(label: string) {
  const t = performance.now();
  const app = await startApp(dbPath);
  const ready = performance.now() - t;
  const rss = rssMb(app.server.pid!);
  console.log(`| ${label} | ${seconds(ready)} | ${rss.toFixed(0)} |`);
  return app;
}

async function main() {
  await demoDatabase(source, rows);
  fs.copyFileSync(source, dbPath);
  console.log('Building the app (next build)…');
  buildApp();
  console.log(`\n${rows.toLocaleString('en-GB')} rows. Server start (the server's resident memory once ready):\n`);
  console.log('| start | ready after | RSS (MB) |');
  console.log('|---|---:|---:|');
  const first = await start('no facts kept: every row read (as before)');
  const size = await keptWritten();
  await stop(first.server);
  const { base, server, headers } = await start(`facts kept (${(size / 2 ** 20).toFixed(0)} MB file), changes since read`);
  try {
    const summary = async () => {
      const t = performance.now();
      // A fixed as_of: the default (now, to the minute) would make every minute a new question, import or not.
      const res = await fetch(`${base}/api/v1/summary?as_of=2026-11-01T00:00:00Z`, { headers });
      const body = (await res.json()) as { data: { version: number; newer_version_pending: boolean } };
      if (res.status !== 200) throw new Error(`GET /api/v1/summary answered ${res.status}`);
      return { ms: performance.now() - t, ...body.data };
    };
    const before = await summary();
    const batch = path.join(os.tmpdir(), `bench-start-${process.pid}.csv`);
    let csv = csvLine([...FIELDS]);
    let n = 0;
    generateReferrals({ rows: 5000, seed: 4242 }, (record) => {
      csv += csvLine(FIELDS.map((f) => (f === 'referral_id' ? `START-${n++}` : record[f])));
    });
    fs.writeFileSync(batch, csv);
    const code = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'import.ts'), batch], { env: { ...process.env, DATABASE_PATH: dbPath }, stdio: 'ignore' }).once('exit', resolve),
    );
    fs.rmSync(batch, { force: true });
    if (code !== 0) throw new Error(`the import exited with ${code}`);
    const committed = performance.now();
    const firstAnswer = await summary();
    let served = firstAnswer;
    while (served.version === before.version || served.newer_version_pending) {
      await new Promise((r) => setTimeout(r, 50));
      served = await summary();
    }
    const newServed = performance.now() - committed;
    console.log(`\nAn import of 5,000 new rows by another process, on the second server (ms after the import committed):\n`);
    console.log('| first summary answered | of the new version | summary of the new version served | RSS after (MB) |');
    console.log('|---:|---|---:|---:|');
    console.log(
      `| ${firstAnswer.ms.toFixed(0)} | ${firstAnswer.version !== before.version && !firstAnswer.newer_version_pending ? 'yes' : 'no (the version before)'} | ${newServed.toFixed(0)} | ${rssMb(server.pid!).toFixed(0)} |`,
    );
    console.log('\nTargets (10,000,000 rows): ready ≤ 30 s after start; the import served within 2 s.');
  } finally {
    await stop(server);
  }
}

process.on('exit', () => {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, kept]) fs.rmSync(f, { force: true });
});

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
