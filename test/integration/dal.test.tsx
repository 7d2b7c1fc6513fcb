// The checks where data is read, without the proxy: every page (and the
// layout of a streamed page) and every route handler of app/, called
// directly as nobody and as every role. A route added without a check
// fails here even if the proxy would have stopped the request.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SqliteStore } from '@/db/sqlite/store';
import { importFile } from '@/lib/import/import';
import { ROLES, roleHas, type Role } from '@/lib/auth/roles';
import { ROUTE_RULES, type Route } from '@/lib/auth/rules';
import { FIXTURE_CSV, memoryDb } from '../helpers/db';
import { request, useDatabase } from '../helpers/http';
import { signInPagesAs } from '../helpers/page-auth';
import { discoverRoutes, fixtureParams } from '../helpers/routes';
import { mayUse, WHO_MAY } from '../helpers/who-may';

vi.mock('next/headers', async () => (await import('../helpers/page-auth')).headersMock);
// forbidden() is an opt-in of next.config.js; the built app has it on.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = 'true';

let db: SqliteStore;
beforeAll(async () => {
  db = memoryDb();
  await importFile(db, FIXTURE_CSV);
  await useDatabase(db);
});
afterAll(() => useDatabase(undefined));

const ROUTES = discoverRoutes().filter((r) => ROUTE_RULES[r.route as Route] !== 'public');
const PRINCIPALS: (Role | null)[] = [null, ...ROLES];
const AS_OF = { as_of: '2026-03-01T00:00:00Z', year: '2026' };

/** How a server component said no: the digest of Next.js's redirect or 403. */
async function refusal(run: () => unknown): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (err) {
    const digest = (err as { digest?: string }).digest ?? '';
    if (digest.startsWith('NEXT_REDIRECT')) return `redirect ${digest.split(';')[2]}`;
    if (digest === 'NEXT_HTTP_ERROR_FALLBACK;403') return 'forbidden';
    throw err;
  }
}

describe('the literal role × route table (test/helpers/who-may.ts)', () => {
  it('names every route of app/, and no other', () => {
    expect(discoverRoutes().map((r) => r.route).filter((r, k, all) => all.indexOf(r) === k).sort()).toEqual(Object.keys(WHO_MAY).sort());
  });

  it('agrees with lib/auth/rules.ts for every route and role (the derived check, second)', () => {
    for (const route of Object.keys(WHO_MAY))
      for (const role of PRINCIPALS) {
        const rule = ROUTE_RULES[route as Route];
        expect(rule === 'public' || (role !== null && roleHas(role, rule)), `${route} as ${role}`).toBe(mayUse(route, role));
      }
  });
});

describe('pages check access themselves', () => {
  const cases = ROUTES.filter((r) => r.kind === 'page').flatMap((r) => PRINCIPALS.map((role) => ({ ...r, role })));

  it.each(cases)('$route as $role', async ({ route, file, role }) => {
    await signInPagesAs(db, role);
    const allowed = mayUse(route, role);
    const props = { params: Promise.resolve(fixtureParams(route)), searchParams: Promise.resolve(AS_OF), children: null };
    const modules = [(await import(`@/${file}`)).default];
    // A streamed page's layout checks before the loading skeleton is sent.
    const layout = path.join(path.dirname(file), 'layout.tsx');
    if (fs.existsSync(layout)) modules.push((await import(`@/${layout}`)).default);
    for (const component of modules) {
      const outcome = await refusal(() => component(props));
      expect(outcome, `${file} as ${role}`).toBe(allowed ? null : role === null ? 'redirect /sign-in' : 'forbidden');
    }
  });
});

describe('route handlers check access themselves', () => {
  const cases = ROUTES.filter((r) => r.kind === 'handler').flatMap((r) => r.methods.flatMap((method) => PRINCIPALS.map((role) => ({ ...r, method, role }))));

  it.each(cases)('$method $route as $role', async ({ route, file, method, role }) => {
    const allowed = mayUse(route, role);
    const handler = (await import(`@/${file}`))[method] as (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
    const url = `http://localhost${route.replace('[code]', 'beta').replace('[batch]', '1')}?as_of=2026-03-01T00:00:00Z&year=2026&by=platform`;
    // A POST carries a same-site Origin and nothing else: refused by role before anything is read.
    const init = method === 'GET' ? {} : { method, headers: { origin: 'http://localhost', host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' }, body: '' };
    if (!allowed) {
      const res = await handler(request(url, init, role), { params: Promise.resolve(fixtureParams(route)) });
      expect(res.status, `${method} ${route} as ${role}`).toBe(role === null ? 401 : 403);
      const body = await res.text();
      expect(body).not.toMatch(/FX-0\d\d|\.example\/item/);
    } else if (!route.endsWith('.pdf') && method === 'GET') {
      // (PDFs need the running app; the end-to-end tests render them.)
      const res = await handler(request(url, init, role), { params: Promise.resolve(fixtureParams(route)) });
      expect([401, 403], `${method} ${route} as ${role}`).not.toContain(res.status);
      await res.text();
    }
  });
});
