// npm run soak -- [--rows N] [--minutes M] [--connections C]: M minutes (10)
// of mixed traffic against `next start` on an N-row demo database (200,000),
// with an import of 5,000 rows every minute in another process. Prints the
// server's memory (RSS) after warm-up and at the end, the WAL file's size,
// and requests, errors and non-2xx answers. Load by wrk (scripts/lib/wrk.ts).
// Only 127.0.0.1.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { buildApp, demoDatabase, requestHeaders, startApp } from './lib/bench-server';
import { assertWrk, runLoad } from './lib/wrk';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, minutes: { type: 'string', default: '10' }, connections: { type: 'string', default: '8' } } });
const rows = Number(values.rows);
const minutes = Number(values.minutes);
const connections = Number(values.connections);
const AS_OF = '2026-11-01T00:00:00Z';
const PATHS = [
  '/about',
  `/?as_of=${AS_OF}`,
  '/',
  `/providers?as_of=${AS_OF}`,
  '/providers/vidora',
  '/groups',
  '/orders',
  `/records?as_of=${AS_OF}&platform=chirpnet`,
  '/api/v1/summary',
  `/api/v1/breakdown?by=platform&as_of=${AS_OF}`,
  `/api/v1/volumes?bucket=month&by=group`,
  `/api/v1/provider-compliance?as_of=${AS_OF}`,
];

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sizeMb = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size / 2 ** 20 : 0);

async function main() {
  assertWrk();
  const source = path.join(os.tmpdir(), `soak-${rows}.db`);
  await demoDatabase(source, rows);
  const work = path.join(os.tmpdir(), `soak-work-${process.pid}.db`);
  fs.copyFileSync(source, work);
  console.log('Building the app…');
  buildApp();
  const { base, server, headers } = await startApp(work);
  const batches: string[] = [];
  try {
    const traffic = (duration: number) => runLoad(base, PATHS.map((p) => ({ path: p, headers: requestHeaders(p, headers) })), { connections, seconds: duration });
    console.log(`Warm-up: 60 s of mixed traffic on ${rows.toLocaleString('en-GB')} rows…`);
    await traffic(60);
    const warmRss = rssMb(server.pid!);
    console.log(`RSS after warm-up: ${warmRss.toFixed(0)} MB. Soak: ${minutes} min, ${connections} connections, an import of 5,000 rows every minute.`);
    let imports = 0;
    let failedImports = 0;
    let maxRss = warmRss;
    let maxWal = 0;
    const samples: string[] = [];
    const running = traffic(minutes * 60);
    const started = Date.now();
    const timer = setInterval(() => {
      maxRss = Math.max(maxRss, rssMb(server.pid!));
      maxWal = Math.max(maxWal, sizeMb(`${work}-wal`));
    }, 5_000);
    for (let m = 0; m < minutes; m++) {
      const batch = path.join(os.tmpdir(), `soak-batch-${process.pid}-${m}.csv`);
      // Other seeds: the same referral ids with new values, so every import writes.
      writeDemoCsv(batch, { rows: 5000, seed: 100 + m });
      batches.push(batch);
      const code = await new Promise<number | null>((resolve) =>
        spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'import.ts'), batch], { env: { ...process.env, DATABASE_PATH: work }, stdio: 'ignore' }).once('exit', resolve),
      );
      if (code === 0) imports++;
      else failedImports++;
      const rss = rssMb(server.pid!);
      maxRss = Math.max(maxRss, rss);
      samples.push(`${m + 1} min: RSS ${rss.toFixed(0)} MB, WAL ${sizeMb(`${work}-wal`).toFixed(1)} MB`);
      const next = started + (m + 1) * 60_000;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    const result = await running;
    clearInterval(timer);
    const endRss = rssMb(server.pid!);
    console.log(samples.map((s) => `  ${s}`).join('\n'));
    console.log(`\n| figure | value |\n|---|---:|`);
    console.log(`| requests | ${result.requests.toLocaleString('en-GB')} (${result.rps.toFixed(0)}/s) |`);
    console.log(`| latency p50 / p99 (ms), every request, corrected for coordinated omission (wrk) | ${result.p50.toFixed(1)} / ${result.p99.toFixed(0)} |`);
    console.log(`| latency p50 / p99 (ms) of the probe's requests, as they had it | ${result.probeP50.toFixed(1)} / ${result.probeP99.toFixed(0)} |`);
    console.log(`| errors (incl. timeouts) | ${result.errors} |`);
    console.log(`| non-2xx answers (≥ 400 by wrk; any outside 2xx among ${result.probed.toLocaleString('en-GB')} probed) | ${result.non2xx} |`);
    console.log(`| imports committed / failed | ${imports} / ${failedImports} |`);
    console.log(`| RSS after warm-up / max / end (MB) | ${warmRss.toFixed(0)} / ${maxRss.toFixed(0)} / ${endRss.toFixed(0)} |`);
    console.log(`| RSS end vs after warm-up | ${(((endRss - warmRss) / warmRss) * 100).toFixed(1)}% |`);
    console.log(`| WAL file max / end (MB) | ${maxWal.toFixed(1)} / ${sizeMb(`${work}-wal`).toFixed(1)} |`);
    console.log('\nTargets: RSS at the end within 20% of after warm-up; the WAL stays bounded; no errors.');
  } finally {
    server.kill('SIGTERM');
    for (const f of [work, `${work}-wal`, `${work}-shm`, `${work}.facts`, ...batches]) fs.rmSync(f, { force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
