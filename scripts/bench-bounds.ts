// npm run bench:bounds -- [--rows N] [--db FILE]: how much one viewer's
// request can slow an administrator's (issue 14), on an N-row demo database
// (default 1,000,000) against the app's server. For each of the heaviest
// requests a viewer can make (the widest period allowed, every page and
// endpoint, an as_of of its own so nothing is cached), an administrator's
// cached API request is sent again and again while it runs; the table gives
// how long the viewer's request took and the administrator's worst wait,
// beside the administrator's request alone in the same run (the baseline).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { latestDay } from '@/lib/filters';
import { benchToken, buildApp, demoDatabase, startApp } from './lib/bench-server';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, db: { type: 'string' } } });
const rows = Number(values.rows);
const dbPath = values.db ?? path.join(os.tmpdir(), `bench-metrics-${rows}.db`);

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  console.log(`Preparing: the ${rows.toLocaleString('en')}-row demo database (${dbPath}) and the production build …`);
  await demoDatabase(dbPath, rows);
  buildApp();
  const { base, server, headers: admin } = await startApp(dbPath);
  const viewer = await benchToken(dbPath, 'viewer');
  const html = { Accept: 'text/html', 'Sec-Fetch-Dest': 'document' };
  const wide = `from=2000-01-01&to=${latestDay(Date.now())}`;
  // Each heavy request gets an as_of of its own, a minute apart, so that no figure of it is in a cache.
  let minute = 0;
  const asOf = () => new Date(Math.floor(Date.now() / 60_000) * 60_000 - ++minute * 60_000).toISOString().replace('.000', '');
  const heavy: [string, () => string, boolean][] = [
    ['overview page, 2000 to tomorrow', () => `/?${wide}&as_of=${asOf()}`, true],
    ['providers page', () => `/providers?${wide}&as_of=${asOf()}`, true],
    ['groups page', () => `/groups?${wide}&as_of=${asOf()}`, true],
    ['languages page', () => `/languages?${wide}&as_of=${asOf()}`, true],
    ['orders page', () => `/orders?${wide}&as_of=${asOf()}`, true],
    ['briefing page', () => `/briefing?${wide}&as_of=${asOf()}`, true],
    ['transparency report page', () => `/reports/transparency?year=2025&as_of=${asOf()}`, true],
    ['API breakdown by group', () => `/api/v1/breakdown?by=group&${wide}&as_of=${asOf()}`, false],
    ['API volumes by day and platform', () => `/api/v1/volumes?bucket=day&by=platform&${wide}&as_of=${asOf()}`, false],
    ['API comparison', () => `/api/v1/comparison?${wide}&as_of=${asOf()}`, false],
    ['API transparency', () => `/api/v1/transparency?year=2025&as_of=${asOf()}`, false],
  ];
  const probeUrl = `${base}/api/v1/summary?as_of=2026-11-01T00:00:00Z`;
  const probe = async () => {
    const t = performance.now();
    const res = await fetch(probeUrl, { headers: admin });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`the administrator's request answered ${res.status}`);
    return performance.now() - t;
  };
  try {
    await probe();
    const alone: number[] = [];
    for (let k = 0; k < 50; k++) {
      alone.push(await probe());
      await sleep(10);
    }
    const lines: string[] = [];
    const row = (what: string, took: string, worst: string, median: string, n: string) => lines.push(`| ${what} | ${took} | ${worst} | ${median} | ${n} |`);
    row('request (as a viewer)', "viewer's request, ms", "admin's worst wait, ms", "admin's median, ms", 'admin requests');
    row('---', '---:', '---:', '---:', '---:');
    row('(none: the administrator alone, baseline)', '–', Math.round(Math.max(...alone)).toString(), Math.round(percentile(alone, 0.5)).toString(), String(alone.length));
    let worstOverall = 0;
    for (const [what, url, page] of heavy) {
      const target = url();
      let done = false;
      const started = performance.now();
      const request = fetch(`${base}${target}`, { headers: { ...viewer, ...(page ? html : {}) } }).then(async (res) => {
        await res.arrayBuffer();
        done = true;
        return res.status;
      });
      const waits: number[] = [];
      await sleep(5);
      while (!done) {
        waits.push(await probe());
        await sleep(5);
      }
      const status = await request;
      const took = performance.now() - started;
      if (status !== 200) throw new Error(`${target} answered ${status}`);
      const worst = waits.length ? Math.max(...waits) : 0;
      worstOverall = Math.max(worstOverall, worst);
      row(what, Math.round(took).toString(), Math.round(worst).toString(), Math.round(percentile(waits, 0.5)).toString(), String(waits.length));
    }
    console.log(`\nOne viewer's request against an administrator's cached request, ${rows.toLocaleString('en')} rows, same run:\n`);
    console.log(lines.join('\n'));
    console.log(`\nWorst wait of the administrator's request behind any one viewer request: ${Math.round(worstOverall)} ms (alone: at most ${Math.round(Math.max(...alone))} ms).`);
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
