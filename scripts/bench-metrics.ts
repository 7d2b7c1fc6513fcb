// npm run bench:metrics -- [--rows N] [--db FILE] [--engine postgres [--url ADMIN_URL]]:
// the metrics benchmark of issue 3. Builds (or reuses) a demo database of N
// rows (default 1,000,000) and, in the same run, times each endpoint's
// computation against (a) a hand-written raw SQL query in SQLite over the
// same database for the same aggregate and (b) DuckDB, in memory, with the
// same rows loaded through its Appender. With --engine postgres the same
// rows go into a PostgreSQL database too (a private server started for the
// run, or the server of --url), and its cold read of the facts, every
// endpoint, the result cache and the freshness table are timed beside
// SQLite's: the computation is the same, only the read differs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openStore, replaceStore } from '@/db/open';
import type { Store } from '@/db/store';
import type { Status } from '@/db/codes';
import type { RecordOrder } from '@/db/rows';
import { referralPageSql } from '@/db/postgres/queries/referrals';
import { recordCriteria } from '@/lib/referrals';
import pg from 'pg';
import { SqliteStore } from '@/db/sqlite/store';
import { GET as summaryRoute } from '@/app/api/v1/summary/route';
import { DEMO_END, generateReferrals } from '@/lib/demo/generator';
import { seedDemo } from '@/lib/demo/seed';
import { parseFilters } from '@/lib/filters';
import { getBreakdown, getProviderCompliance, getSummary, getVolumes, getVolumeSeries } from '@/lib/metrics';
import { currentFacts, dropFacts, dropMemos, refreshed, type FactSnapshot } from '@/lib/metrics/fact-store';
import type { ReferralRecord } from '@/db/rows';
import { csvLine } from '@/lib/csv';
import { importFile } from '@/lib/import/import';
import { FIELDS } from '@/lib/import/validate-row';
import { benchToken, type BenchDatabase } from './lib/bench-server';
import { freshBenchDatabase } from './lib/bench-postgres';
import { startPostgresCluster, type PostgresCluster } from './lib/postgres-cluster';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, db: { type: 'string' }, repeat: { type: 'string', default: '3' }, engine: { type: 'string', default: 'sqlite' }, url: { type: 'string' } },
});
if (values.engine !== 'sqlite' && values.engine !== 'postgres') throw new Error(`--engine must be sqlite or postgres, not ${values.engine}`);
const withPostgres = values.engine === 'postgres';
const rows = Number(values.rows);
const repeat = Math.max(1, Number(values.repeat));
const dbPath = values.db ?? path.join(os.tmpdir(), `bench-metrics-${rows}.db`);
const AS_OF = DEMO_END;
const HOUR = 3_600_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

// --- the same aggregates by hand, in SQL (SQLite and DuckDB dialects) ---
type Dialect = 'sqlite' | 'duckdb';
const clamp0 = (x: string) => `CASE WHEN (${x}) < 0 THEN 0 ELSE (${x}) END`;
function stateSql(extraColumns: string): string {
  const actioned = `outcome IN ('removed', 'disabled') AND outcome_at <= ${AS_OF}`;
  const start = `(CASE WHEN is_order = 1 AND received_at IS NOT NULL THEN received_at ELSE referred_at END) + coalesce(clock_paused_hours, 0) * ${HOUR}`;
  return `SELECT ${extraColumns}
      CASE WHEN outcome = 'unavailable' THEN 3 WHEN ${actioned} THEN 1 WHEN outcome = 'rejected' AND outcome_at <= ${AS_OF} THEN 2 ELSE 0 END AS st,
      ${clamp0(`((CASE WHEN ${actioned} THEN outcome_at ELSE ${AS_OF} END) - (${start})) / ${HOUR}.0`)} AS h
    FROM referrals WHERE referred_at <= ${AS_OF}`;
}
function countsSql(key: string): string {
  const deadline = (h: number) =>
    `sum(CASE WHEN st = 1 AND h <= ${h} THEN 1 ELSE 0 END), sum(CASE WHEN st = 1 OR (st IN (0, 2) AND h >= ${h}) THEN 1 ELSE 0 END)`;
  return `SELECT ${key ? `${key},` : ''} count(*), sum(CASE WHEN st = 1 THEN 1 ELSE 0 END), sum(CASE WHEN st = 2 THEN 1 ELSE 0 END),
      sum(CASE WHEN st = 3 THEN 1 ELSE 0 END), ${deadline(1)}, ${deadline(24)}, ${deadline(168)}
    FROM (${stateSql(key ? `${key},` : '')}) s ${key ? `GROUP BY ${key}` : ''}`;
}
function kmSql(key: string): string {
  const part = key ? `PARTITION BY ${key}` : '';
  return `SELECT ${key ? `${key},` : ''} t, d, n_risk, exp(sum(ln(CASE WHEN d < n_risk THEN 1.0 - 1.0 * d / n_risk ELSE 1e-300 END)) OVER (${part} ORDER BY t)) AS surv
    FROM (SELECT ${key ? `${key},` : ''} t, d, sum(c) OVER (${part} ORDER BY t DESC) AS n_risk
          FROM (SELECT ${key ? `${key},` : ''} h AS t, sum(CASE WHEN st = 1 THEN 1 ELSE 0 END) AS d, count(*) AS c
                FROM (${stateSql(key ? `${key},` : '')}) s WHERE st <> 3 GROUP BY ${key ? `${key},` : ''} h) x) y
    WHERE d > 0`;
}
function monthSql(dialect: Dialect): string {
  return dialect === 'sqlite' ? `strftime('%Y-%m', referred_at / 1000, 'unixepoch')` : `strftime(to_timestamp(referred_at / 1000), '%Y-%m')`;
}
function baselines(dialect: Dialect): Record<string, string[]> {
  const month = monthSql(dialect);
  return {
    summary: [countsSql(''), kmSql('')],
    'breakdown?by=platform': [countsSql('platform'), kmSql('platform')],
    'volumes?by=group': [`SELECT group_code, count(*) FROM referrals WHERE referred_at <= ${AS_OF} GROUP BY group_code`],
    'volumes?bucket=month': [`SELECT ${month} AS m, count(*) FROM referrals WHERE referred_at <= ${AS_OF} GROUP BY m ORDER BY m`],
    'provider-compliance': [
      `SELECT platform, m, sum(CASE WHEN st = 1 AND h <= 1 THEN 1 ELSE 0 END), sum(CASE WHEN st = 1 OR (st IN (0, 2) AND h >= 1) THEN 1 ELSE 0 END)
       FROM (${stateSql(`platform, ${month} AS m,`)} AND is_order = 1) s GROUP BY platform, m ORDER BY platform, m`,
    ],
  };
}

async function loadDuckDb(db: SqliteStore['db']): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE referrals (referred_at DOUBLE, received_at DOUBLE, is_order INTEGER, outcome VARCHAR, outcome_at DOUBLE,
    clock_paused_hours DOUBLE, platform VARCHAR, group_code VARCHAR, language VARCHAR)`);
  const appender = await connection.createAppender('referrals');
  const statement = db.$client.prepare(
    "SELECT referred_at, received_at, kind = 'removal_order', outcome, outcome_at, clock_paused_hours, platform, group_code, language FROM referrals",
  );
  for (const r of statement.raw().iterate() as IterableIterator<[number, number | null, number, string, number | null, number | null, string, string, string]>) {
    appender.appendDouble(r[0]);
    if (r[1] === null) appender.appendNull();
    else appender.appendDouble(r[1]);
    appender.appendInteger(r[2]);
    appender.appendVarchar(r[3]);
    if (r[4] === null) appender.appendNull();
    else appender.appendDouble(r[4]);
    if (r[5] === null) appender.appendNull();
    else appender.appendDouble(r[5]);
    appender.appendVarchar(r[6]);
    appender.appendVarchar(r[7]);
    appender.appendVarchar(r[8]);
    appender.endRow();
  }
  appender.closeSync();
  return connection;
}

async function main() {
  // Every read here is of the database itself, as the figures say; a start from the facts kept in a file is bench:start's.
  process.env.FACTS_KEEP = '0';
  // The raw SQL baselines run on the SQLite connection itself.
  let store = SqliteStore.open(dbPath);
  if ((await store.referrals.count()) !== rows) {
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
    store = SqliteStore.open(dbPath);
    const t = performance.now();
    await seedDemo(store, { rows, seed: 11 });
    console.log(`Built a ${rows.toLocaleString('en-GB')}-row demo database in ${((performance.now() - t) / 1000).toFixed(1)} s: ${dbPath}`);
  } else console.log(`Reusing ${dbPath} (${rows.toLocaleString('en-GB')} rows)`);
  const db = store.db;
  // The raw SQL reads is_order like the DuckDB table does.
  db.$client.exec("CREATE TEMP VIEW IF NOT EXISTS referrals_bench AS SELECT *, kind = 'removal_order' AS is_order FROM main.referrals");

  const filters = parseFilters(new URLSearchParams({ as_of: new Date(AS_OF).toISOString() })).filters;
  const { load, cold } = await coldReads(store, filters);
  const ours = endpoints(store, await currentFacts(store), filters);
  const sqliteSql = baselines('sqlite');
  const duck = await loadDuckDb(db);
  const duckSql = baselines('duckdb');

  console.log(`\nLoading the fact columns (once per data version): ${Math.round(load).toLocaleString('en-GB')} ms`);
  console.log(`\nMedian of ${repeat} runs, ms. "ours" = computation with the fact columns loaded and no result cache.\n`);
  console.log('| endpoint | ours | raw SQL (SQLite) | DuckDB | ours / raw SQL | ours / DuckDB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const totals = { ours: 0 };
  const sqliteOurs: Record<string, number> = {};
  for (const name of Object.keys(ours)) {
    const a = (sqliteOurs[name] = await time(ours[name]));
    const b = await time(() => {
      for (const q of sqliteSql[name]) db.$client.prepare(q.replaceAll('FROM referrals', 'FROM referrals_bench')).raw().all();
    });
    const c = await time(async () => {
      for (const q of duckSql[name]) await duck.runAndReadAll(q);
    });
    if (name === 'summary' || name === 'breakdown?by=platform') totals.ours += a;
    console.log(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${c.toFixed(0)} | ${(a / b).toFixed(2)}x | ${(a / c).toFixed(2)}x |`);
  }
  console.log(`\nsummary + breakdown by platform: ${totals.ours.toFixed(0)} ms with the columns loaded; ${cold.toFixed(0)} ms cold (first requests after a data change)`);

  const sqliteCached = await cachedRequest(store, dbPath);
  console.log(`repeated identical request (GET /api/v1/summary, result cache): ${sqliteCached.toFixed(2)} ms`);

  // On a copy: the imports below must not change the demo database the next run reuses.
  await store.close();
  const copy = path.join(os.tmpdir(), `bench-fresh-${process.pid}.db`);
  fs.copyFileSync(dbPath, copy);
  const copyStore = SqliteStore.open(copy);
  try {
    await freshness(copyStore, filters);
  } finally {
    await copyStore.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
  }
  if (withPostgres) await postgres(filters, { load, cold, ours: sqliteOurs, cached: sqliteCached });
}

type Filters = ReturnType<typeof parseFilters>['filters'];

/**
 * Reading the fact columns with nothing in memory, and the first summary and
 * breakdown by platform after it (as after an import: read the columns,
 * build the time orders, compute); medians in ms.
 */
async function coldReads(store: Store, filters: Filters): Promise<{ load: number; cold: number }> {
  const load = await time(async () => {
    dropFacts(store);
    await currentFacts(store);
  });
  const cold = await time(async () => {
    dropFacts(store);
    const data = await currentFacts(store);
    getSummary(data, filters);
    getBreakdown(data, filters, 'platform');
  });
  return { load, cold };
}

/** Each endpoint's computation over the facts; each run computes afresh (the figures memoised per data version are forgotten first). */
function endpoints(store: Store, data: FactSnapshot, filters: Filters): Record<string, () => unknown> {
  const fresh = (compute: () => unknown) => () => {
    dropMemos(store);
    compute();
  };
  return {
    summary: fresh(() => getSummary(data, filters)),
    'breakdown?by=platform': fresh(() => getBreakdown(data, filters, 'platform')),
    'volumes?by=group': fresh(() => getVolumes(data, filters, 'group')),
    'volumes?bucket=month': fresh(() => getVolumeSeries(data, filters, 'month')),
    'provider-compliance': fresh(() => getProviderCompliance(data, filters)),
  };
}

/** A repeated identical request, answered from the result cache (as an administrator: the route checks who asks); ms. */
async function cachedRequest(store: Store, database: BenchDatabase): Promise<number> {
  replaceStore(store);
  const headers = await benchToken(database);
  const url = `http://localhost/api/v1/summary?as_of=${new Date(AS_OF).toISOString()}`;
  const first = await summaryRoute(new Request(url, { headers }));
  if (first.status !== 200) throw new Error(`GET /api/v1/summary answered ${first.status}`);
  const ms = await time(async () => (await summaryRoute(new Request(url, { headers }))).text());
  replaceStore(undefined);
  return ms;
}

/** The records list's queries (the only reads besides the fact columns) that the indexes of each engine serve. */
const RECORD_PAGES: [string, string, Partial<RecordOrder & { page: number }> & { status?: Status }][] = [
  ['newest first, page 1 (the default)', '', {}],
  ['newest first, page 200', '', { page: 200 }],
  ['one platform', 'platform=vidora', {}],
  ['one group and language', 'group=daesh&language=ar', {}],
  ['open at as_of', '', { status: 'open' }],
  ['one month', 'from=2026-06-01&to=2026-06-30', {}],
  ['by outcome time', '', { sort: 'outcome_at' }],
  ['by referral id', '', { sort: 'referral_id', descending: false }],
];

/** A page of records (50, with its total) on each engine, and PostgreSQL's plan of it: which index serves, at this many rows. */
async function recordPages(store: Store, url: string): Promise<void> {
  const sqlite = SqliteStore.open(dbPath);
  const client = new pg.Client(url);
  await client.connect();
  try {
    console.log(`\nThe records list at ${rows.toLocaleString('en-GB')} rows: a page of 50 with its total, median of ${repeat} runs, ms; PostgreSQL's plan (EXPLAIN ANALYZE) of the page and of its count:\n`);
    console.log('| records | SQLite | PostgreSQL | total | PostgreSQL: page | PostgreSQL: count |');
    console.log('|---|---:|---:|---:|---|---|');
    for (const [name, query, options] of RECORD_PAGES) {
      const criteria = recordCriteria(parseFilters(new URLSearchParams(`as_of=${new Date(AS_OF).toISOString()}&${query}`)).filters, { status: options.status });
      const request = { sort: options.sort ?? 'referred_at', descending: options.descending ?? true, includeUrls: true, page: options.page ?? 1, pageSize: 50 } as const;
      const a = await time(() => sqlite.referrals.page(criteria, request));
      let total = 0;
      const b = await time(async () => (total = (await store.referrals.page(criteria, request)).total));
      const sql = referralPageSql(criteria, request);
      const plan = async (text: string, params: unknown[]) =>
        planOutline((await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params)).rows[0]['QUERY PLAN'][0].Plan);
      console.log(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${total.toLocaleString('en-GB')} | ${await plan(sql.select, sql.selectParams)} | ${await plan(sql.count, sql.params)} |`);
    }
  } finally {
    await client.end();
    await sqlite.close();
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The scans of a plan, outermost first: "Index Scan backward (referrals_referred_at_id)". */
function planOutline(plan: PlanNode & { 'Scan Direction'?: string }): string {
  const scans: string[] = [];
  const visit = (node: PlanNode & { 'Scan Direction'?: string }) => {
    if (node['Relation Name'] === 'referrals' || node['Index Name']?.startsWith('referrals_'))
      scans.push(`${node['Node Type']}${node['Scan Direction'] === 'Backward' ? ' backward' : ''}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`);
    node.Plans?.forEach(visit);
  };
  visit(plan);
  return scans.join(', ') || plan['Node Type'];
}

/** The same figures with the same rows on PostgreSQL, beside SQLite's of this run. */
async function postgres(filters: Filters, sqlite: { load: number; cold: number; ours: Record<string, number>; cached: number }): Promise<void> {
  let cluster: PostgresCluster | undefined;
  try {
    const admin = values.url ?? (cluster = await startPostgresCluster()).adminUrl;
    const name = `bench_metrics_${rows}`;
    const url = await freshBenchDatabase(admin, name);
    let store = openStore({ engine: 'postgres', url });
    const t = performance.now();
    await seedDemo(store, { rows, seed: 11 });
    console.log(`\nPostgreSQL (${values.url ? 'the server of --url' : 'a private server started for this run: fsync off'}): the same ${rows.toLocaleString('en-GB')} demo rows loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const { load, cold } = await coldReads(store, filters);
    const ours = endpoints(store, await currentFacts(store), filters);
    console.log(`\nMedian of ${repeat} runs, ms, the same computation over each engine's facts (PostgreSQL target: within 1.2x of SQLite):\n`);
    console.log('| step | SQLite | PostgreSQL | PostgreSQL / SQLite |');
    console.log('|---|---:|---:|---:|');
    const ratios: [string, number][] = [];
    const line = (step: string, a: number, b: number, digits = 0) => {
      ratios.push([step, b / a]);
      console.log(`| ${step} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(b / a).toFixed(2)}x |`);
    };
    line('loading the fact columns (cold read)', sqlite.load, load);
    line('summary + breakdown by platform, cold', sqlite.cold, cold);
    for (const [endpoint, run] of Object.entries(ours)) line(endpoint, sqlite.ours[endpoint], await time(run));
    line('repeated identical request (result cache)', sqlite.cached, await cachedRequest(store, { engine: 'postgres', url }), 2);
    const endpointsOnly = ratios.filter(([step]) => step in ours);
    const worst = endpointsOnly.reduce((a, b) => (b[1] > a[1] ? b : a));
    console.log(`\n${worst[1] <= 1.2 ? 'met ' : 'MISSED'}  every endpoint within 1.2x of SQLite (the slowest: ${worst[0]}, ${worst[1].toFixed(2)}x)`);
    await recordPages(store, url);
    // The freshness imports on a copy, as on SQLite.
    await store.close();
    const copy = await freshBenchDatabase(admin, `${name}_fresh`, name);
    store = openStore({ engine: 'postgres', url: copy });
    try {
      await freshness(store, filters);
    } finally {
      await store.close();
    }
  } finally {
    cluster?.stop();
  }
}

/** The import's fields of a stored record (for a batch that changes existing rows). */
function importRow(r: ReferralRecord): Record<string, string | number | null> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { ...r, url: r.url ?? '', referred_at: iso(r.referred_at), received_at: iso(r.received_at), outcome_at: iso(r.outcome_at), notes: null };
}

function writeCsv(file: string, rows: Record<string, unknown>[]): void {
  fs.writeFileSync(file, csvLine([...FIELDS]) + rows.map((r) => csvLine(FIELDS.map((f) => r[f] as string | number | null))).join(''));
}

/**
 * Issue 17: how soon the figures follow a committed import of 5,000 rows, with
 * the facts carried over (only the changed rows read and merged in) and with a
 * full read of everything (as before): the first summary + breakdown by
 * platform after the commit, and when the new figures are served.
 */
async function freshness(store: Store, filters: Filters) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fresh-'));
  const BATCH = 5000;
  let run = 0;
  const updatedBatch = async () => {
    // 5,000 referrals still open, now removed an hour after their referral (each import a different 5,000).
    const rows: Record<string, unknown>[] = [];
    for await (const r of store.referrals.iterate(
      { asOf: AS_OF, referredFrom: null, referredBefore: null, values: parseFilters(new URLSearchParams()).filters.values, status: 'open' },
      { sort: 'referral_id', descending: false, includeUrls: true },
    )) {
      if (r.outcome !== 'pending') continue;
      rows.push({ ...importRow(r), outcome: 'removed', outcome_at: new Date(r.referred_at + HOUR).toISOString() });
      if (rows.length === BATCH) break;
    }
    return rows;
  };
  const newBatch = () => {
    const rows: Record<string, unknown>[] = [];
    generateReferrals({ rows: BATCH, seed: 900 + run }, (record) => rows.push({ ...record, referral_id: `FRESH-${run}-${rows.length}` }));
    return rows;
  };
  const figures = (data: FactSnapshot) => {
    getSummary(data, filters);
    getBreakdown(data, filters, 'platform');
  };
  console.log(`\nFreshness (${store.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}) after a committed import of ${BATCH.toLocaleString('en-GB')} rows into ${rows.toLocaleString('en-GB')} (ms after the commit; the facts and time orders of the version before were held):\n`);
  console.log('| import | facts brought up to date by | import itself | first summary + breakdown answered | of the new version | new figures served |');
  console.log('|---|---|---:|---:|---|---:|');
  for (const [label, make] of [
    [`${BATCH.toLocaleString('en-GB')} updated rows`, updatedBatch],
    [`${BATCH.toLocaleString('en-GB')} new rows`, () => Promise.resolve(newBatch())],
  ] as const) {
    for (const mode of ['carried over (this version)', 'full read (as before)'] as const) {
      run++;
      figures(await currentFacts(store));
      const file = path.join(dir, `batch-${run}.csv`);
      writeCsv(file, await make());
      const t = performance.now();
      const result = await importFile(store, file, { actor: 'bench' });
      if (result.status !== 'committed') throw new Error(`freshness import rejected: ${result.message}`);
      const committed = performance.now();
      if (mode === 'full read (as before)') dropFacts(store);
      const data = await currentFacts(store);
      figures(data);
      const answered = performance.now();
      // As a client sees it: asking until the answer is of the new version.
      let newest = data;
      while (newest.stale) {
        await new Promise((r) => setTimeout(r, 10));
        newest = await currentFacts(store);
      }
      figures(newest);
      const served = performance.now();
      await refreshed(store);
      console.log(
        `| ${label} | ${mode} | ${(committed - t).toFixed(0)} | ${(answered - committed).toFixed(0)} | ${data.stale ? 'no (the version before)' : 'yes'} | ${(served - committed).toFixed(0)} |`,
      );
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
