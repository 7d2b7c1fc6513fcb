// npm run bench:pages -- [--rows N] [--db FILE]: server render times of the
// dashboard pages on an N-row demo database (default 1,000,000), beside a
// trivial page of the same app, in one run against `next start`.
// Cold: the first request for a page after start (metrics warmed at start-up,
// no answer cached). Cached: the median of the next five identical requests.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp, demoDatabase, startApp } from './lib/bench-server';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, db: { type: 'string' } } });
const rows = Number(values.rows);
const dbPath = values.db ?? path.join(os.tmpdir(), `bench-metrics-${rows}.db`);
const AS_OF = '2026-11-01T00:00:00Z';
const PAGES = [
  '/about',
  `/?as_of=${AS_OF}`,
  `/?as_of=${AS_OF}&from=2026-05-01&to=2026-10-31`,
  `/providers?as_of=${AS_OF}`,
  `/providers/vidora?as_of=${AS_OF}`,
  `/groups?as_of=${AS_OF}`,
  `/groups/daesh?as_of=${AS_OF}`,
  `/languages?as_of=${AS_OF}`,
  `/campaigns?as_of=${AS_OF}`,
  `/campaigns/rad-2025-06?as_of=${AS_OF}`,
  `/records?as_of=${AS_OF}&platform=chirpnet`,
  `/orders?as_of=${AS_OF}`,
  `/reports/transparency?year=2025&as_of=${AS_OF}`,
  `/briefing?as_of=${AS_OF}&from=2026-05-01&to=2026-10-31`,
  // The PDF: Chromium renders the page above (its first request also starts Chromium); never cached.
  `/briefing.pdf?as_of=${AS_OF}&from=2026-05-01&to=2026-10-31`,
];

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers });
  await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t;
}

async function main() {
  await demoDatabase(dbPath, rows);
  console.log('Building the app (next build)…');
  buildApp();
  const started = performance.now();
  const { base, server, headers } = await startApp(dbPath);
  try {
    console.log(`Server ready (metrics warmed at start-up) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    console.log(`${rows.toLocaleString('en-GB')} rows; ms per request (whole HTML response):\n`);
    console.log('| page | cold | cached (median of 5) | cached / trivial page |');
    console.log('|---|---:|---:|---:|');
    let trivial = 0;
    for (const page of PAGES) {
      const cold = await timed(base + page, headers);
      const again: number[] = [];
      for (let k = 0; k < 5; k++) again.push(await timed(base + page, headers));
      const cached = again.sort((a, b) => a - b)[2];
      if (page === '/about') trivial = cached;
      console.log(`| ${page} | ${cold.toFixed(0)} | ${cached.toFixed(0)} | ${(cached / trivial).toFixed(1)}x |`);
    }
    console.log('\nTargets: each page ≤ 1,000 ms cold and ≤ 150 ms cached; the briefing PDF ≤ 5,000 ms.');
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
