// The same fixture figures over HTTP through the route handlers, and the
// 400 answers of API.md for bad parameters.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as breakdown } from '@/app/api/v1/breakdown/route';
import { GET as comparison } from '@/app/api/v1/comparison/route';
import { GET as newPlatforms } from '@/app/api/v1/new-platforms/route';
import { GET as providerCompliance } from '@/app/api/v1/provider-compliance/route';
import { GET as referrals } from '@/app/api/v1/referrals/route';
import { GET as spread } from '@/app/api/v1/spread/route';
import { GET as summary } from '@/app/api/v1/summary/route';
import { GET as views } from '@/app/api/v1/views-before-action/route';
import { GET as volumes } from '@/app/api/v1/volumes/route';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, FIXTURE_EXPECTED, memoryDb } from '../helpers/db';
import { expectFigures } from '../helpers/figures';
import { call, request, useDatabase } from '../helpers/http';

const expected = JSON.parse(fs.readFileSync(FIXTURE_EXPECTED, 'utf8'));
const AS_OF = `as_of=${expected.as_of}`;

beforeAll(async () => {
  const db = memoryDb();
  await importFile(db, FIXTURE_CSV);
  await useDatabase(db);
});
afterAll(() => useDatabase(undefined));

describe('GET /api/v1 with the fixture', () => {
  it('summary', async () => {
    const { status, body, response } = await call(summary, `/api/v1/summary?${AS_OF}`);
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body.filters).toEqual({ as_of: '2026-03-01T00:00:00Z' });
    expectFigures(body, expected.summary, 'summary');
  });

  it.each(['platform', 'kind', 'group'])('breakdown by %s', async (by) => {
    const { status, body } = await call(breakdown, `/api/v1/breakdown?by=${by}&${AS_OF}`);
    expect(status).toBe(200);
    expect(body.by).toBe(by);
    expectFigures(body.rows, expected.breakdown[by], `breakdown ${by}`);
  });

  it.each(Object.keys(expected.volumes))('volumes by %s', async (by) => {
    const { body } = await call(volumes, `/api/v1/volumes?by=${by}&${AS_OF}`);
    expectFigures(body.rows, expected.volumes[by], `volumes ${by}`);
  });

  it('views before action', async () => {
    const { body } = await call(views, `/api/v1/views-before-action?${AS_OF}`);
    expectFigures(body.rows, expected.views_before_action, 'views');
  });

  it('answers 304 to a repeated request with its ETag', async () => {
    const first = await call(summary, `/api/v1/summary?${AS_OF}`);
    const etag = first.response.headers.get('etag')!;
    const again = await summary(request(`http://localhost/api/v1/summary?${AS_OF}`, { headers: { 'If-None-Match': etag } }));
    expect(again.status).toBe(304);
  });

  it('a weekly series with empty weeks as 0', async () => {
    const { body } = await call(volumes, `/api/v1/volumes?bucket=week&from=2026-01-26&to=2026-03-08&${AS_OF}`);
    // Fixture: referrals per ISO week of referred_at (W05 ends Sun 1 Feb; W09 is 23 Feb-1 Mar); nothing after as_of, so the series stops at W09.
    expect(body.rows).toEqual([
      { period: '2026-W05', count: 3 },
      { period: '2026-W06', count: 2 },
      { period: '2026-W07', count: 7 },
      { period: '2026-W08', count: 3 },
      { period: '2026-W09', count: 9 },
    ]);
  });

  it('a daily series keeps empty days, and a monthly one splits by key', async () => {
    const days = await call(volumes, `/api/v1/volumes?bucket=day&from=2026-02-01&to=2026-02-04&${AS_OF}`);
    expect(days.body.rows).toEqual([
      { period: '2026-02-01', count: 3 },
      { period: '2026-02-02', count: 0 },
      { period: '2026-02-03', count: 0 },
      { period: '2026-02-04', count: 0 },
    ]);
    const months = await call(volumes, `/api/v1/volumes?bucket=month&by=kind&${AS_OF}`);
    expect(months.body.rows).toEqual([
      { period: '2026-02', key: 'referral', name: 'Referral', count: 17 },
      { period: '2026-02', key: 'removal_order', name: 'Removal order', count: 7 },
    ]);
  });

  it('records, paginated and sorted, as known at as_of', async () => {
    const { body } = await call(referrals, `/api/v1/referrals?${AS_OF}&platform=beta&sort=referred_at&page_size=4&page=2`);
    expect(body.total).toBe(9);
    expect(body.pages).toBe(3);
    expect(body.rows.map((r: { referral_id: string }) => r.referral_id)).toEqual(['FX-013', 'FX-014', 'FX-015', 'FX-016']);
    // FX-014 was removed on 5 March: at 1 March it was still pending.
    expect(body.rows[1]).toMatchObject({ outcome: 'pending', outcome_at: null });
  });
});

describe('bad parameters get a 400 that names them', () => {
  it.each([
    ['/api/v1/summary?colour=red', 'colour', /unknown parameter/],
    ['/api/v1/summary?from=2026-02-30', 'from', /not a date/],
    ['/api/v1/summary?from=2026-03-01&to=2026-02-01', 'from', /after to=2026-02-01/],
    ['/api/v1/summary?as_of=yesterday', 'as_of', /not an ISO 8601 instant/],
    ['/api/v1/summary?kind=order', 'kind', /'order' must be one of referral, removal_order/],
    ['/api/v1/summary?platform_type=tv', 'platform_type', /'tv' must be one of/],
    ['/api/v1/summary?language=arabic', 'language', /not an ISO 639-1 code/],
    ['/api/v1/breakdown', 'by', /must be one of platform/],
    ['/api/v1/breakdown?by=colour', 'by', /must be one of/],
    ['/api/v1/volumes?bucket=year', 'bucket', /must be one of day, week, month/],
    ['/api/v1/volumes', 'by', /give by/],
    ['/api/v1/referrals?page_size=501', 'page_size', /at most 500/],
    ['/api/v1/referrals?sort=url', 'sort', /must be one of/],
    ['/api/v1/comparison', 'from', /needs both from and to/],
    ['/api/v1/provider-compliance?target=1.5', 'target', /share from 0 to 1/],
    ['/api/v1/summary?as_of=2026-03-01T00:00:00Z&as_of=2026-03-02T00:00:00Z', 'as_of', /more than once/],
  ])('%s', async (path, param, message) => {
    const handlers: Record<string, (r: Request) => Promise<Response>> = { summary, breakdown, volumes, referrals, comparison, 'provider-compliance': providerCompliance };
    const name = path.split('?')[0].split('/').pop()!;
    const { status, body } = await call(handlers[name], path);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/Invalid query parameters/);
    const issue = body.error.issues.find((i: { param: string }) => i.param === param);
    expect(issue, JSON.stringify(body)).toBeDefined();
    expect(issue.message).toMatch(message);
  });
});

describe('the other metrics over HTTP', () => {
  it('cross-platform spread lists hashes on two or more platforms in order of first referral', async () => {
    const { body } = await call(spread, `/api/v1/spread?${AS_OF}`);
    // h1: beta 1 Feb (FX-009), alpha 10 Feb (FX-001), gamma 25 Feb (FX-018); h2: alpha 10 Feb (FX-002), gamma 25 Feb (FX-022).
    expect(body.total).toBe(2);
    expect(body.rows.map((r: { content_hash: string; platforms: { key: string }[] }) => [r.content_hash, r.platforms.map((p) => p.key)])).toEqual([
      ['h1', ['beta', 'alpha', 'gamma']],
      ['h2', ['alpha', 'gamma']],
    ]);
  });

  it('new platforms in the period', async () => {
    const { body } = await call(newPlatforms, `/api/v1/new-platforms?${AS_OF}&from=2026-02-05&to=2026-02-28`);
    // alpha first referred 10 Feb, gamma 25 Feb; beta already on 1 Feb.
    expect(body.rows.map((r: { key: string }) => r.key)).toEqual(['alpha', 'gamma']);
  });

  it('comparison with the previous period of equal length', async () => {
    const { body } = await call(comparison, `/api/v1/comparison?${AS_OF}&from=2026-02-15&to=2026-02-28`);
    expect([body.period, body.previous_period]).toEqual([
      { from: '2026-02-15', to: '2026-02-28' },
      { from: '2026-02-01', to: '2026-02-14' },
    ]);
    const total = body.changes.find((c: { metric: string }) => c.metric === 'total');
    // 15-28 Feb: FX-007, 008, 014-024 = 13; 1-14 Feb: the other 11.
    expect(total).toEqual({ metric: 'total', current: 13, previous: 11, absolute: 2, relative: 2 / 11 });
  });
});

describe('km_points (issue 15)', () => {
  it('is taken by every endpoint that returns Kaplan–Meier rows, and bounds their number', async () => {
    const rowsOf = (body: { km?: unknown[]; current?: { km: unknown[] }; previous?: { km: unknown[] }; rows?: { km: unknown[] }[] }) =>
      [body.km, body.current?.km, body.previous?.km, ...(body.rows ?? []).map((r) => r.km)].filter((km): km is unknown[] => km !== undefined);
    const all = rowsOf((await call(summary, `/api/v1/summary?${AS_OF}`)).body)[0].length;
    // The fixture has more distinct event times than 4 (else there would be nothing to bound).
    expect(all).toBeGreaterThan(7);
    for (const [handler, path] of [
      [summary, `/api/v1/summary?${AS_OF}`],
      [breakdown, `/api/v1/breakdown?${AS_OF}&by=kind`],
      [comparison, `/api/v1/comparison?${AS_OF}&from=2026-02-01&to=2026-02-28`],
    ] as const) {
      for (const points of [2, 4, 7]) {
        const { status, body } = await call(handler, `${path}&km_points=${points}`);
        expect(status, `${path}&km_points=${points}`).toBe(200);
        const lists = rowsOf(body);
        expect(lists.length).toBeGreaterThan(0);
        for (const km of lists) expect(km.length, `${path}&km_points=${points}`).toBeLessThanOrEqual(points);
      }
    }
  });
});

describe('GET /api/v1/matrix', () => {
  it('counts referrals by group and platform', async () => {
    const { GET: matrix } = await import('@/app/api/v1/matrix/route');
    const { status, body } = await call(matrix, `/api/v1/matrix?rows=group&columns=platform&${AS_OF}`);
    expect(status).toBe(200);
    expect(body.columns.map((c: { key: string }) => c.key)).toEqual(['alpha', 'beta', 'gamma']);
    const row = (key: string) => body.rows.find((r: { key: string }) => r.key === key);
    // daesh: alpha FX-001/002/005/006/007/008, beta FX-009/010/015/016/017, gamma FX-018 to 022.
    expect(row('daesh')).toMatchObject({ total: 16, counts: [6, 5, 5] });
    // aq: alpha FX-003/004, beta FX-011/012, gamma FX-024.
    expect(row('aq')).toMatchObject({ total: 5, counts: [2, 2, 1] });
  });

  it('names a missing dimension', async () => {
    const { GET: matrix } = await import('@/app/api/v1/matrix/route');
    const { status, body } = await call(matrix, `/api/v1/matrix?rows=group`);
    expect(status).toBe(400);
    expect(body.error.issues[0].param).toBe('columns');
  });
});
