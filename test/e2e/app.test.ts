// The production build, started as the README's first command starts it,
// serving the first page from a real database file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, tempDir } from '../helpers/db';

const DIST = '.next-test';
let server: ChildProcess | undefined;
let base = '';
let output = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`server did not answer at ${url} within ${ms} ms:\n${output}`);
}

beforeAll(async () => {
  const nextBin = path.join('node_modules', 'next', 'dist', 'bin', 'next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { encoding: 'utf8', env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  const dbPath = path.join(tempDir(), 'e2e.db');
  const db = openDatabase(dbPath);
  importFile(db, FIXTURE_CSV);
  db.$client.close();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, NEXT_DIST_DIR: DIST, DATABASE_PATH: dbPath, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (output += d));
  server.stderr!.on('data', (d) => (output += d));
  await waitFor(base, 60_000);
}, 600_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

describe('the built app', () => {
  it('serves the first page from the database', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>Takedown Monitor</title>');
    expect(html).toContain('24<!-- --> referrals and removal orders');
    expect(html).toMatch(/<td>gamma<\/td><td class="num">7<\/td>/);
  });

  it('answers 404 for an unknown page, without a stack trace', async () => {
    const res = await fetch(`${base}/no-such-page`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toMatch(/at .*\.js:\d+/);
  });
});
