// Arbitrary query strings on every API route answer 200 or 400, never 500
// (fast-check). The routes are found on disk, so a new one is fuzzed too.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, memoryDb } from '../helpers/db';
import { request, useDatabase } from '../helpers/http';

const API = path.join(process.cwd(), 'app', 'api', 'v1');
const ROUTES = fs
  .readdirSync(API)
  .filter((dir) => fs.existsSync(path.join(API, dir, 'route.ts')))
  .sort();

const PARAMS = [
  'from', 'to', 'as_of', 'platform', 'platform_type', 'group', 'ideology', 'language', 'content_type', 'unit', 'campaign', 'kind',
  'by', 'bucket', 'rows', 'columns', 'limit', 'page', 'page_size', 'sort', 'status', 'reason', 'year', 'target', 'months', 'min_orders', 'km_points',
];
const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '0', '-1', '1e309', 'NaN', '2026-02-30', '2026-03-01', '2026-03-01T00:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01', 'beta', 'alpha,beta', 'removal_order', 'platform', 'month', '-referred_at', 'open', '-', '2026', '0.9', '1.0', '100000000000000000000'),
  fc.integer().map(String),
  fc.double().map(String),
);
const query = fc.oneof(
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string()), value), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString()),
  fc.string({ unit: 'binary' }).map((s) => encodeURIComponent(s).replaceAll('%3D', '=').replaceAll('%26', '&')),
);

const seen = { 200: 0, 400: 0 } as Record<number, number>;

beforeAll(async () => {
  const db = memoryDb();
  await importFile(db, FIXTURE_CSV);
  await useDatabase(db);
});
afterAll(() => useDatabase(undefined));

describe('every API route under arbitrary query strings', () => {
  it('finds the routes', () => {
    expect(ROUTES).toContain('summary');
    expect(ROUTES.length).toBeGreaterThanOrEqual(14);
  });

  it.each(ROUTES)('%s answers 200 or 400, never 500', async (route) => {
    const { GET } = (await import(`@/app/api/v1/${route}/route`)) as { GET: (r: Request) => Promise<Response> };
    const errors: unknown[] = [];
    const logged = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      await fc.assert(
        fc.asyncProperty(query, async (q) => {
          const response = await GET(request(`http://localhost/api/v1/${route}?${q}`));
          const body = await response.text();
          expect([200, 400], `${route}?${q} → ${response.status}: ${body.slice(0, 200)}`).toContain(response.status);
          seen[response.status]++;
          if (response.status === 400) expect(JSON.parse(body).error.issues.length).toBeGreaterThan(0);
        }),
        { numRuns: 150 },
      );
    } finally {
      console.error = logged;
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('met both answers: the queries are not all refused', () => {
    expect(seen[200]).toBeGreaterThan(100);
    expect(seen[400]).toBeGreaterThan(100);
  });
});
