// What the benchmarks share: a demo database of N rows, the production
// build (in .next-bench), and the app's server on a free loopback port.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { StoreConfig } from '@/db/config';
import { openStore } from '@/db/open';
import { createApiToken, findUserByEmail, insertUser } from '@/lib/auth/accounts';
import { seedDemo } from '@/lib/demo/seed';
import type { Role } from '@/lib/auth/roles';

const NEXT = path.join('node_modules', 'next', 'dist', 'bin', 'next');

/** A benchmark's database: a SQLite file's path, or either engine's configuration. */
export type BenchDatabase = string | StoreConfig;

function configOf(database: BenchDatabase): StoreConfig {
  return typeof database === 'string' ? { engine: 'sqlite', path: database } : database;
}

/** The settings that point an app server at the database. */
export function databaseEnv(database: BenchDatabase): Record<string, string> {
  const config = configOf(database);
  return config.engine === 'postgres' ? { DATABASE_URL: config.url } : { DATABASE_PATH: config.path };
}
const ENV = { NEXT_DIST_DIR: '.next-bench', NEXT_TELEMETRY_DISABLED: '1' };

/** Makes sure the database holds the N-row demo set (seed 11), building it if the database is empty. */
export async function demoDatabase(database: BenchDatabase, rows: number): Promise<void> {
  const store = openStore(configOf(database));
  try {
    const present = await store.referrals.count();
    if (present === rows) return;
    if (present !== 0) throw new Error(`${typeof database === 'string' ? database : 'the database'} holds other data; give another --db`);
    await seedDemo(store, { rows, seed: 11 });
  } finally {
    await store.close();
  }
}

export function buildApp(): void {
  execFileSync(process.execPath, [NEXT, 'build'], { stdio: 'ignore', env: { ...process.env, ...ENV } });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** An API token of a benchmark user of `role` (an administrator by default) on the database: every page needs one. */
export async function benchToken(database: BenchDatabase, role: Role = 'admin'): Promise<Record<string, string>> {
  const email = role === 'admin' ? 'bench@localhost.localdomain' : `bench-${role}@localhost.localdomain`;
  const store = openStore(configOf(database));
  try {
    const token = await store.write(async (tx) => {
      const id = (await findUserByEmail(tx, email))?.id ?? (await insertUser(tx, { email, name: `Benchmarks (${role})`, role, passwordHash: '!' }, Date.now()));
      return (await createApiToken(tx, id, 'benchmark', Date.now())).token;
    }, { waitMs: 30_000 });
    return { Authorization: `Bearer ${token}` };
  } finally {
    await store.close();
  }
}

/** The app's server (server.js) on the build and the database; resolves once /about answers. `headers` authenticate as an administrator. */
export async function startApp(database: BenchDatabase, headers?: Record<string, string>): Promise<{ base: string; server: ChildProcess; headers: Record<string, string> }> {
  headers ??= await benchToken(database);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['server.js', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, ...ENV, ...databaseEnv(database) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Measured only once the start-up computation of the figures is over (it prints "Metrics ready").
  let warmed = false;
  server.stdout.on('data', (d: Buffer) => {
    if (d.toString().includes('Metrics ready')) warmed = true;
  });
  const until = Date.now() + 300_000;
  for (;;) {
    try {
      await fetch(`${base}/about`, { headers });
      if (warmed || Date.now() > until) return { base, server, headers };
    } catch {
      if (server.exitCode !== null) throw new Error(`the app's server exited with ${server.exitCode}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The headers of a request: pages asked for as a browser asks for a
 * document (served from the rendered-page cache once rendered). No
 * compression is asked for, as in the earlier runs of these benchmarks
 * (Next.js would compress every answer again; README: performance).
 */
export function requestHeaders(path: string, auth: Record<string, string>): Record<string, string> {
  if (path.startsWith('/api/')) return auth;
  return { ...auth, Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'Sec-Fetch-Dest': 'document' };
}
