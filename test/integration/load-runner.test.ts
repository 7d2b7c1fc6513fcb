// The benchmarks' load runner (scripts/lib/wrk.ts) against a small HTTP
// server of known answers: the requests it sends, the headers they carry,
// and the figures it reports (errors, non-2xx answers, counts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWrkOutput, runLoad, wrkScript } from '@/scripts/lib/wrk';

interface Seen {
  path: string;
  token: string | undefined;
  encoding: string | undefined;
}

let server: http.Server;
let base = '';
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', token: req.headers['x-token'] as string | undefined, encoding: req.headers['accept-encoding'] });
    if (req.url === '/drop') return void req.socket.destroy();
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 150);
    const status = req.url === '/moved' ? 302 : req.url === '/missing' ? 404 : req.url === '/broken' ? 500 : 200;
    res.writeHead(status, status === 302 ? { Location: '/ok' } : { 'Content-Type': 'text/plain' });
    res.end(status === 200 ? 'x'.repeat(20_000) : 'no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const run = (paths: string[], extra: Record<string, string> = {}) => runLoad(base, paths.map((path) => ({ path, headers: { 'X-Token': 't', ...extra } })), { connections: 2, seconds: 1 });

describe('the wrk script', () => {
  it('puts every path and header into Lua strings, quotes and backslashes escaped', () => {
    const script = wrkScript([{ path: '/a?q="x"\\y', headers: { Authorization: 'Bearer tm_1' } }]);
    expect(script).toContain('path = "/a?q=\\"x\\"\\\\y"');
    expect(script).toContain('["Authorization"] = "Bearer tm_1"');
  });

  it('refuses text that is not printable ASCII, and an empty list', () => {
    expect(() => wrkScript([{ path: '/é', headers: {} }])).toThrow(/not printable ASCII/);
    expect(() => wrkScript([{ path: '/a', headers: { 'X-A': 'line\nbreak' } }])).toThrow(/not printable ASCII/);
    expect(() => wrkScript([])).toThrow(/no requests/);
  });

  it('reads the figures line, and says so when there is none', () => {
    const figures = parseWrkOutput(
      'Running 1s test\nWRK_FIGURES {"requests":300,"duration_us":1500000,"errors":2,"status_errors":5,"p50_us":1250,"p99_us":40000,"max_us":52000}\n',
    );
    expect(figures).toEqual({ requests: 300, seconds: 1.5, rps: 200, p50: 1.25, p99: 40, max: 52, errors: 2, non2xx: 5 });
    expect(() => parseWrkOutput('Running 1s test\n')).toThrow(/no figures/);
  });
});

describe('a load run', () => {
  it('sends the paths in turn with their headers and counts what it got', async () => {
    seen.length = 0;
    const figures = await run(['/ok', '/other']);
    expect(figures.errors).toBe(0);
    expect(figures.non2xx).toBe(0);
    expect(figures.requests).toBeGreaterThan(50);
    expect(figures.rps).toBeCloseTo(figures.requests / figures.seconds, 6);
    expect(figures.p99).toBeGreaterThanOrEqual(figures.p50);
    expect(figures.probed).toBeGreaterThan(0);
    // Every request the server saw carried the header and asked for no compression (wrk and the probe alike); both paths were asked about equally.
    expect(seen.every((s) => s.token === 't')).toBe(true);
    expect(new Set(seen.map((s) => s.encoding ?? 'identity'))).toEqual(new Set(['identity']));
    const ok = seen.filter((s) => s.path === '/ok').length;
    const other = seen.filter((s) => s.path === '/other').length;
    expect(Math.abs(ok - other)).toBeLessThanOrEqual(4);
    // The server saw what wrk and the probe sent (requests in flight at the end are not counted by wrk).
    expect(seen.length).toBeGreaterThanOrEqual(figures.requests + figures.probed);
    expect(seen.length).toBeLessThanOrEqual(figures.requests + figures.probed + 2);
  });

  it('asks for compression only when the request says so', async () => {
    seen.length = 0;
    const figures = await run(['/ok'], { 'Accept-Encoding': 'gzip' });
    expect(figures.probed).toBeGreaterThan(0);
    expect(new Set(seen.map((s) => s.encoding))).toEqual(new Set(['gzip']));
  });

  it('times the requests: wrk over every request, the probe over its own', async () => {
    const quick = await run(['/ok']);
    expect(quick.p50).toBeLessThan(50);
    expect(quick.probeP50).toBeLessThan(50);
    const slow = await run(['/slow']);
    // Each answer waits 150 ms (on a timer: the server takes them all at once).
    expect(slow.p50).toBeGreaterThanOrEqual(150);
    expect(slow.p99).toBeLessThan(1000);
    expect(slow.probeP50).toBeGreaterThanOrEqual(149);
    expect(slow.probeP99).toBeLessThan(1000);
    expect(slow.probeP99).toBeGreaterThanOrEqual(slow.probeP50);
    // 2 connections for 1 s at 150 ms a request: at most 14.
    expect(slow.requests).toBeGreaterThanOrEqual(6);
    expect(slow.requests).toBeLessThanOrEqual(14);
  });

  it('counts every answer ≥ 400 as non-2xx', async () => {
    seen.length = 0;
    const figures = await run(['/ok', '/missing', '/broken']);
    const failing = seen.filter((s) => s.path !== '/ok').length;
    expect(figures.errors).toBe(0);
    // wrk's count of 4xx and 5xx, plus those the probe met.
    expect(figures.non2xx).toBeGreaterThanOrEqual(failing - 2);
    expect(figures.non2xx).toBeLessThanOrEqual(failing);
  });

  it('counts redirects through the probe (wrk does not count them)', async () => {
    const figures = await run(['/ok', '/moved']);
    expect(figures.probed).toBeGreaterThanOrEqual(2);
    expect(figures.non2xx).toBeGreaterThanOrEqual(1);
    expect(figures.non2xx).toBeLessThanOrEqual(Math.ceil(figures.probed / 2));
  });

  it('counts connections cut without an answer as errors', async () => {
    seen.length = 0;
    const figures = await run(['/ok', '/drop']);
    expect(figures.errors).toBeGreaterThan(0);
    expect(figures.errors).toBeLessThanOrEqual(seen.filter((s) => s.path === '/drop').length);
    expect(figures.non2xx).toBe(0);
  });

  it('fails, saying why, when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(runLoad(`http://127.0.0.1:${port}`, [{ path: '/', headers: {} }], { connections: 2, seconds: 1 })).rejects.toThrow(/unable to connect/);
  });

  it('spreads the connections over several servers, one wrk thread each, as a load balancer would', async () => {
    const other: string[] = [];
    const second = http.createServer((req, res) => {
      other.push(req.url ?? '');
      res.end('y'.repeat(20_000));
    });
    await new Promise<void>((resolve) => second.listen(0, '127.0.0.1', resolve));
    try {
      seen.length = 0;
      const figures = await runLoad([base, `http://127.0.0.1:${(second.address() as AddressInfo).port}`], [{ path: '/ok', headers: {} }], { connections: 4, seconds: 1 });
      expect([figures.errors, figures.non2xx]).toEqual([0, 0]);
      // Each server had its thread's two connections: about half of the requests each (wrk and the probe alike).
      const total = seen.length + other.length;
      expect(total).toBeGreaterThanOrEqual(figures.requests + figures.probed);
      expect(seen.length / total).toBeGreaterThan(0.3);
      expect(other.length / total).toBeGreaterThan(0.3);
      expect(new Set(other)).toEqual(new Set(['/ok']));
    } finally {
      await new Promise<void>((resolve) => second.close(() => resolve()));
    }
    await expect(runLoad([base, base, base], [{ path: '/', headers: {} }], { connections: 2, seconds: 1 })).rejects.toThrow(/2 connections cannot spread over 3 servers/);
  });

  it('loads only the loopback interface', async () => {
    await expect(runLoad('http://192.0.2.1:80', [{ path: '/', headers: {} }], { connections: 1, seconds: 1 })).rejects.toThrow(/only on loopback/);
  });
});
