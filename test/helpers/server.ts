// The production build and `next start` for the end-to-end tests: built
// once per test run (test files run in parallel processes: the first builds
// under a lock, the others wait for it), started on free loopback ports.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { SqliteStore } from '@/db/sqlite/store';
import type { Store } from '@/db/store';
import { tokenHash } from '@/lib/auth/secrets';
import { SESSION_COOKIE } from '@/lib/auth/authenticate';
import { tempDir } from './db';
import { knowUrl } from './engines';
import { freshPostgresStore } from './postgres';

export const DIST = '.next-test';
const nextBin = path.join('node_modules', 'next', 'dist', 'bin', 'next');
// One marker per test run: the vitest process is the parent of every test file's process.
const BUILT = path.join(DIST, `built-for-run-${process.ppid}`);
const LOCK = `${DIST}.lock`;

export function buildOnce(): void {
  for (;;) {
    if (fs.existsSync(BUILT)) return;
    try {
      fs.mkdirSync(LOCK);
    } catch {
      // Another test file is building: wait for it (a lock older than 15 minutes is a crashed run's).
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 15 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      spawnSync('sleep', ['1']);
      continue;
    }
    try {
      if (fs.existsSync(BUILT)) return;
      const build = spawnSync(process.execPath, [nextBin, 'build'], { encoding: 'utf8', env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: '1' } });
      if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
      fs.writeFileSync(BUILT, '');
      return;
    } finally {
      fs.rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Server {
  base: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** A database for a server of the tests, on one engine: a store of the test's own on it, and the setting that points a server at it. */
export interface E2eDatabase {
  engine: 'sqlite' | 'postgres';
  store: Store;
  env: Record<string, string>;
}

/** A new, migrated, empty database of the engine: a file in a temporary folder, or a database on the test's PostgreSQL server. */
export async function e2eDatabase(engine: 'sqlite' | 'postgres', name = 'e2e.db'): Promise<E2eDatabase> {
  if (engine === 'postgres') {
    const { url, store } = await freshPostgresStore();
    return { engine, store: knowUrl(store, url), env: { DATABASE_URL: url } };
  }
  const file = path.join(tempDir(), name);
  return { engine, store: SqliteStore.open(file), env: { DATABASE_PATH: file } };
}

/** `next start` of the test build on a database (a SQLite file's path, or an E2eDatabase); resolves once it answers. */
export async function startServer(database: string | E2eDatabase, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const target = typeof database === 'string' ? { DATABASE_PATH: database } : database.env;
  // The app's own server (server.js), which sets the client address as production does.
  const child = spawn(process.execPath, ['server.js', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, NEXT_DIST_DIR: DIST, ...target, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      await fetch(`${base}/sign-in`);
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`server did not answer at ${base}:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { base, process: child, output: () => output, stop };
}

// A fixed administrator credential for the end-to-end tests' own databases
// (only ever written into test databases; stored hashed like any other).
export const E2E_TOKEN = 'tm_e2e-test-token-only-for-test-databases-0001';
export const E2E_SESSION = 'e2e-test-session-only-for-test-databases-0001';

/** Gives the tests' administrator an API token and a browser session on the database of `store` (either engine; again is harmless). */
export async function grantE2eAccess(store: Store): Promise<void> {
  await store.write(async (tx) => {
    const now = Date.now();
    const id = (await tx.users.findByEmail('e2e@test.example'))?.id ?? (await tx.users.insert({ email: 'e2e@test.example', name: 'E2E administrator', role: 'admin', passwordHash: '!' }, now));
    if (!(await tx.tokens.findLive(tokenHash(E2E_TOKEN)))) await tx.tokens.create(tokenHash(E2E_TOKEN), id, 'e2e', now);
    if (!(await tx.sessions.find(tokenHash(E2E_SESSION)))) await tx.sessions.create(tokenHash(E2E_SESSION), id, now);
  });
}

/** fetch with the tests' administrator token (unless the request brings its own Authorization or Cookie). */
export function authFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization') && !headers.has('cookie')) headers.set('Authorization', `Bearer ${E2E_TOKEN}`);
  return fetch(url, { ...init, headers });
}

// Debian's Chromium, headless, without the background traffic a closed network refuses.
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** A browser context signed in as the tests' administrator on every loopback server (cookies ignore the port). */
export async function signedInContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies([{ name: SESSION_COOKIE, value: E2E_SESSION, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Lax' }]);
  return context;
}
