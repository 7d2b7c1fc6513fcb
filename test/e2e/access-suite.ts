// Access control over HTTP against `next start` (issue 6): every route of
// app/ for every role, attempts to get round the proxy, sessions, tokens,
// throttling, the audit trail, inert rendering of hostile data and
// cross-origin writes. The same suite runs on each engine (access.test.ts,
// access-postgres.test.ts), each against its own server and database.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@/db/store';
import { importFile } from '@/lib/import/import';
import { ROLES, type Role } from '@/lib/auth/roles';
import { ROUTE_RULES, type Route } from '@/lib/auth/rules';
import { CAPABILITIES, roleHas } from '@/lib/auth/roles';
import { hashPassword, randomPassword } from '@/lib/auth/secrets';
import { createApiToken, disableUser, insertUser } from '@/lib/auth/accounts';
import { FIXTURE_CSV, tempDir } from '../helpers/db';
import { discoverRoutes } from '../helpers/routes';
import { mayUse } from '../helpers/who-may';
import { sqlRows, sqlValue } from '../helpers/engines';
import { buildOnce, e2eDatabase, launchBrowser, startServer, type E2eDatabase, type Server } from '../helpers/server';

export function accessSuite(engine: 'sqlite' | 'postgres'): void {
  const AS_OF = 'as_of=2026-03-01T00:00:00Z';
  /** What would show that a page or answer gave away records: fixture URLs and referral ids, and the hostile rows. */
  const RECORD_TRACES = [/\.example\/item\//, /FX-0\d\d/, /XSS-/];

  let dir = '';
  let database: E2eDatabase;
  let app: Server;
  let browser: Browser | undefined;
  const passwords = new Map<string, string>();
  const cookies = new Map<Role, string>();
  const tokens = new Map<Role, string>();

  /** The test's own connection to the app's database. */
  function look(): Store {
    return database.store;
  }

  async function addUser(email: string, role: Role): Promise<void> {
    const password = randomPassword();
    passwords.set(email, password);
    const db = look();
    const passwordHash = await hashPassword(password);
    await db.write(async () => {
      const id = await insertUser(db, { email, name: `Test ${role}`, role, passwordHash }, Date.now());
      if (email === `${role}@access.example`) tokens.set(role, (await createApiToken(db, id, 'access test', Date.now())).token);
    });
  }

  function sameSite(extra: Record<string, string> = {}): Record<string, string> {
    return { Origin: app.base, ...extra };
  }

  /** Signs in through the form; the session cookie's value, or the refusal's Location. */
  async function signIn(email: string, password: string, headers: Record<string, string> = sameSite()): Promise<{ status: number; cookie: string | null; setCookie: string | null; location: string | null }> {
    const res = await fetch(`${app.base}/api/auth/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ email, password, next: '/' }),
    });
    const setCookie = res.headers.get('set-cookie');
    return { status: res.status, cookie: setCookie?.match(/tm_session=([^;]+)/)?.[1] ?? null, setCookie, location: res.headers.get('location') };
  }

  function asRole(role: Role | null, headers: Record<string, string> = {}): Record<string, string> {
    return role ? { Cookie: `tm_session=${cookies.get(role)}`, ...headers } : headers;
  }

  function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${app.base}${pathAndQuery}`, { redirect: 'manual', headers });
  }

  beforeAll(async () => {
    buildOnce();
    dir = tempDir();
    database = await e2eDatabase(engine, 'access.db');
    await importFile(database.store, FIXTURE_CSV);
    for (const role of ROLES) await addUser(`${role}@access.example`, role);
    // Uploads above 1 MB are refused (the size limit is a setting).
    app = await startServer(database, { IMPORT_MAX_MB: '1' });
    for (const role of ROLES) {
      const done = await signIn(`${role}@access.example`, passwords.get(`${role}@access.example`)!);
      expect(done.status, done.location ?? '').toBe(303);
      cookies.set(role, done.cookie!);
    }
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  // ---------------------------------------------------------------------------
  // Every route, found on disk

  const ROUTES = discoverRoutes();

  /** A concrete address of a route pattern, with the fixture's codes and the query it needs. */
  function concrete(route: string): string {
    const filled = route
      .replace('/providers/[code]', '/providers/beta')
      .replace('/groups/[code]', '/groups/daesh')
      .replace('/campaigns/[code]', '/campaigns/rad-feb')
      .replace('/import/[batch]', '/import/1');
    if (filled.includes('[')) throw new Error(`no concrete address for ${route}: add one to concrete() in this test`);
    const query = route.startsWith('/reports/transparency') || route === '/api/v1/transparency' ? `${AS_OF}&year=2026` : route.startsWith('/api/v1/breakdown') ? `${AS_OF}&by=platform` : AS_OF;
    return `${filled}?${query}`;
  }

  describe('every route of app/ has an access rule', () => {
    it('finds the pages and route handlers on disk', () => {
      expect(ROUTES.length).toBeGreaterThanOrEqual(39);
      expect(ROUTES.map((r) => r.route)).toContain('/records');
      expect(ROUTES.map((r) => r.route)).toContain('/api/v1/referrals.csv');
    });

    it('has a rule for every route found, and no rule for a route that does not exist', () => {
      const rules = Object.keys(ROUTE_RULES).sort();
      expect(ROUTES.filter((r) => !(r.route in ROUTE_RULES)).map((r) => r.route), 'routes without a rule in lib/auth/rules.ts').toEqual([]);
      expect(rules.filter((r) => !ROUTES.some((f) => f.route === r)), 'rules of routes that do not exist').toEqual([]);
    });
  });

  describe('the role × route matrix, over HTTP', () => {
    const principals: (Role | null)[] = [null, ...ROLES];
    const cases = ROUTES.flatMap((r) => r.methods.flatMap((method) => principals.map((role) => ({ ...r, method, role }))));

    it.each(cases)('$method $route as $role', async ({ route, method, role }) => {
      const rule = ROUTE_RULES[route as Route];
      const address = concrete(route);
      let headers = asRole(role);
      // Signing out ends the session: use one of its own, not the role's shared one.
      if (route === '/api/auth/sign-out' && role) headers = { Cookie: `tm_session=${(await signIn(`${role}@access.example`, passwords.get(`${role}@access.example`)!)).cookie}` };
      const res =
        method === 'GET'
          ? await get(address, headers)
          : await fetch(`${app.base}${address}`, { method, redirect: 'manual', headers: { ...headers, ...sameSite(), 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
      const body = await res.text();
      // The literal table first (test/helpers/who-may.ts); the rule table must agree with it.
      const allowed = mayUse(route, role);
      expect(rule === 'public' || (role !== null && roleHas(role, rule)), `lib/auth/rules.ts for ${route} as ${role}`).toBe(allowed);
      if (allowed) {
        expect([401, 403], `${method} ${address} as ${role}: ${res.status} ${body.slice(0, 200)}`).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
        if (rule !== 'public' && res.status === 303) expect(res.headers.get('location') ?? '').not.toMatch(/^\/sign-in/);
      } else {
        if (role === null) {
          // Nobody signed in: to the sign-in page (pages), or 401 (API).
          if (route.startsWith('/api/')) expect(res.status).toBe(401);
          // A download link followed while signed out: the proxy sends the person to sign in; the handler itself answers 401.
          else if (ROUTES.find((r) => r.route === route)?.kind === 'handler') expect([303, 401]).toContain(res.status);
          else {
            // 303 from the proxy; 307 from the page's own check (lib/auth/dal.ts) should a request get past the proxy.
            expect([303, 307]).toContain(res.status);
            expect(res.headers.get('location')?.split('?')[0]).toBe('/sign-in');
          }
        } else expect(res.status, `${method} ${address} as ${role} (needs ${CAPABILITIES[rule as keyof typeof CAPABILITIES]})`).toBe(403);
        for (const trace of RECORD_TRACES) expect(body).not.toMatch(trace);
      }
    }, 60_000);
  });

  describe('requests that try to get round the proxy reveal nothing', () => {
    const attempts: { path: string; headers: Record<string, string> }[] = [
      { path: '/records', headers: { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' } },
      { path: '/records', headers: { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' } },
      { path: '/api/v1/referrals', headers: { 'x-middleware-subrequest': 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware' } },
      { path: '/records', headers: { RSC: '1' } },
      { path: '/records', headers: { RSC: '1', 'Next-Router-Prefetch': '1' } },
      { path: '/records?_rsc=1a2b3', headers: { RSC: '1' } },
      { path: '/records.rsc', headers: {} },
      { path: '/records.rsc', headers: { RSC: '1' } },
      { path: '/%72ecords', headers: {} },
      { path: '/%72ecords', headers: { RSC: '1' } },
      { path: '/records/', headers: {} },
      { path: '/records%2F', headers: {} },
      { path: '/api/v1/%72eferrals', headers: {} },
      { path: '/api/v1/referrals/', headers: {} },
      { path: '/api/v1/referrals.csv', headers: { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' } },
      { path: '/providers/beta', headers: { RSC: '1', 'Next-Router-State-Tree': '%5B%22%22%5D' } },
      { path: '/', headers: { 'x-middleware-prefetch': '1' } },
      { path: '/briefing.pdf', headers: {} },
    ];

    it.each(attempts)('unauthenticated $path with $headers', async ({ path: p, headers }) => {
      const res = await get(`${p}${p.includes('?') ? '&' : '?'}${AS_OF}`, headers);
      const body = await res.text();
      // (A proxy prefetch that got past the proxy answers an empty object.)
      const empty = headers['x-middleware-prefetch'] !== undefined && res.status === 200 && body.trim() === '{}';
      if (!empty) expect([303, 307, 308, 401, 403, 404], `${p}: ${res.status} ${body.slice(0, 200)}`).toContain(res.status);
      if ([303, 307, 308].includes(res.status)) expect(res.headers.get('location') ?? '').toMatch(/^\/[^/\\]/);
      for (const trace of RECORD_TRACES) expect(body).not.toMatch(trace);
      expect(body).not.toContain('referrals and removal orders on record');
    });

    it.each(attempts.filter((a) => a.path.includes('ecords') || a.path.includes('eferrals')))('as a viewer $path with $headers', async ({ path: p, headers }) => {
      const res = await get(`${p}${p.includes('?') ? '&' : '?'}${AS_OF}`, asRole('viewer', headers));
      const body = await res.text();
      expect([303, 307, 308, 403, 404], `${p}: ${res.status}`).toContain(res.status);
      for (const trace of RECORD_TRACES) expect(body).not.toMatch(trace);
    });
  });

  describe("a viewer's pages and their component payloads", () => {
    const pages = ROUTES.filter((r) => r.kind === 'page' && ROUTE_RULES[r.route as Route] === 'aggregates');

    it.each(pages)('$route carries no URL or referral id of the fixture', async ({ route }) => {
      for (const rsc of [false, true]) {
        // A component payload is asked with RSC: 1 (Next.js redirects once to add its cache key, _rsc).
        const res = await fetch(`${app.base}${concrete(route)}`, { headers: asRole('viewer', rsc ? { RSC: '1' } : {}) });
        const body = await res.text();
        expect([res.status, res.headers.get('content-type')], `${route} rsc=${rsc}`).toEqual([200, rsc ? 'text/x-component' : 'text/html; charset=utf-8']);
        for (const trace of RECORD_TRACES) expect(body, `${route} rsc=${rsc}`).not.toMatch(trace);
      }
    });

    it('an analyst gets the same pages with the records (the test above would see them)', async () => {
      for (const rsc of [false, true]) {
        const body = await (await fetch(`${app.base}/providers/beta?${AS_OF}`, { headers: asRole('analyst', rsc ? { RSC: '1' } : {}) })).text();
        expect(body).toMatch(/FX-012/);
        expect(body).toContain('https://beta.example/item/FX-012');
      }
    });
  });

  // ---------------------------------------------------------------------------
  // Signing in and sessions

  describe('signing in', () => {
    it('sets an HttpOnly, SameSite=Lax, Secure session cookie, with a new token at every sign-in', async () => {
      const email = 'viewer@access.example';
      const first = await signIn(email, passwords.get(email)!);
      const second = await signIn(email, passwords.get(email)!);
      expect(first.setCookie).toMatch(/^tm_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=43200$/);
      expect(first.cookie).not.toBe(second.cookie);
      // Both sessions work, and the database holds only the tokens' hashes.
      expect((await get('/', asRole(null, { Cookie: `tm_session=${first.cookie}` }))).status).toBe(200);
      const db = look();
      expect(await sqlValue(db, 'SELECT count(*) FROM sessions WHERE token_hash = ?', [first.cookie])).toBe(0);
    });

    it('works in Chromium through the form on http://127.0.0.1 (a Secure cookie on loopback), and signs out', async () => {
      browser ??= await launchBrowser();
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app.base}/records?${AS_OF}`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await page.fill('#email', 'analyst@access.example');
      await page.fill('#password', passwords.get('analyst@access.example')!);
      await Promise.all([page.waitForURL(/\/records\?/), page.click('button[type=submit]')]);
      expect(await page.locator('h1').first().innerText()).toMatch(/^Records/);
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'tm_session', httpOnly: true, secure: true, sameSite: 'Lax' });
      // The navigation offers only what the role may open.
      const nav = await page.locator('nav[aria-label=Main] a').allInnerTexts();
      expect(nav).toContain('Records');
      expect(nav).not.toContain('Import');
      expect(nav).not.toContain('Audit trail');
      await Promise.all([page.waitForURL(/\/sign-in\?signed_out=1/), page.click('text=Sign out')]);
      await page.goto(`${app.base}/records?${AS_OF}`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await context.close();
    }, 60_000);

    it('gives the same answer for an unknown address and a wrong password', async () => {
      const unknown = await signIn('nobody@access.example', 'some-password-123');
      const wrong = await signIn('analyst@access.example', 'some-password-123');
      expect(unknown.status).toBe(303);
      expect([wrong.status, wrong.location, wrong.cookie]).toEqual([unknown.status, unknown.location, null]);
      const page = await (await get(unknown.location!)).text();
      expect(page).toContain('The e-mail address or the password is not right.');
    });

    it('ends the session on the server at sign-out', async () => {
      const email = 'analyst@access.example';
      const { cookie } = await signIn(email, passwords.get(email)!);
      expect((await get('/records', { Cookie: `tm_session=${cookie}` })).status).toBe(200);
      const out = await fetch(`${app.base}/api/auth/sign-out`, { method: 'POST', redirect: 'manual', headers: { Cookie: `tm_session=${cookie}`, ...sameSite() } });
      expect(out.status).toBe(303);
      expect(out.headers.get('set-cookie')).toMatch(/^tm_session=; .*Max-Age=0/);
      // The old cookie, kept by someone, is worth nothing now.
      const after = await get('/records', { Cookie: `tm_session=${cookie}` });
      expect([after.status, after.headers.get('location')?.split('?')[0]]).toEqual([303, '/sign-in']);
      const db = look();
      expect(await sqlValue(db, "SELECT end_reason FROM sessions WHERE ended_at IS NOT NULL ORDER BY id DESC LIMIT 1")).toBe('signed out');
    });

    it('ends a session after 30 minutes without a request, and 12 hours after sign-in however active', async () => {
      const email = 'viewer@access.example';
      const age = async (column: 'last_seen_at' | 'created_at', minutes: number) => {
        const { cookie } = await signIn(email, passwords.get(email)!);
        const db = look();
        await sqlRows(db, `UPDATE sessions SET ${column} = ? WHERE id = (SELECT max(id) FROM sessions)`, [Date.now() - minutes * 60_000]);
        return get('/', { Cookie: `tm_session=${cookie}` });
      };
      // 29 minutes idle: still signed in.
      expect((await age('last_seen_at', 29)).status).toBe(200);
      const idle = await age('last_seen_at', 31);
      expect([idle.status, idle.headers.get('location')]).toEqual([303, '/sign-in?next=%2F&expired=1']);
      const db = look();
      // The session's end is bookkeeping written beside the answer (on PostgreSQL it lands a moment after it).
      await expect.poll(() => sqlValue(db, 'SELECT end_reason FROM sessions WHERE id = (SELECT max(id) FROM sessions)'), { timeout: 3000 }).toBe('idle timeout');
      expect((await age('created_at', 11 * 60 + 59)).status).toBe(200);
      expect((await age('created_at', 12 * 60 + 1)).status).toBe(303);
    });

    it('throttles repeated failed sign-ins of an address, also across a restart, whether or not it exists', async () => {
      await addUser('throttled@access.example', 'viewer');
      for (const email of ['throttled@access.example', 'ghost@access.example']) {
        for (let i = 0; i < 5; i++) expect((await signIn(email, `wrong-password-${i}`)).location).toBe('/sign-in?error=invalid&next=%2F');
        const sixth = await signIn(email, passwords.get(email) ?? 'wrong-password-x');
        // Held until the first of the five leaves the 15-minute window: about 900 seconds from now.
        expect(sixth.location).toMatch(/^\/sign-in\?error=throttled&seconds=(8[5-9]\d|900)&next=%2F$/);
        expect(sixth.cookie).toBeNull();
      }
      const page = await (await get('/sign-in?error=throttled&seconds=900')).text();
      expect(page).toContain('Too many failed sign-ins for this address or from your network address. Try again in 15 minutes.');
      // Another address is not held up.
      expect((await signIn('viewer@access.example', passwords.get('viewer@access.example')!)).cookie).not.toBeNull();
      await app.stop();
      app = await startServer(database, { IMPORT_MAX_MB: '1' });
      const afterRestart = await signIn('throttled@access.example', passwords.get('throttled@access.example')!);
      expect(afterRestart.cookie).toBeNull();
      expect(afterRestart.location).toMatch(/^\/sign-in\?error=throttled&seconds=\d+&next=%2F$/);
    }, 120_000);
  });

  describe('API tokens and disabling a user', () => {
    it('a token carries its user role, and a revoked token or a disabled user is refused at once', async () => {
      const viewer = tokens.get('viewer')!;
      expect((await get(`/api/v1/summary?${AS_OF}`, { Authorization: `Bearer ${viewer}` })).status).toBe(200);
      expect((await get(`/api/v1/referrals?${AS_OF}`, { Authorization: `Bearer ${viewer}` })).status).toBe(403);
      expect((await get(`/api/v1/summary?${AS_OF}`, { Authorization: 'Bearer tm_not-a-token' })).status).toBe(401);

      await addUser('leaver@access.example', 'analyst');
      const { cookie } = await signIn('leaver@access.example', passwords.get('leaver@access.example')!);
      const db = look();
      const leaver = await sqlValue(db, "SELECT id FROM users WHERE email = 'leaver@access.example'") as number;
      const token = await db.write(async () => createApiToken(db, leaver, 'leaver script', Date.now()));
      expect((await get(`/api/v1/referrals?${AS_OF}`, { Authorization: `Bearer ${token.token}` })).status).toBe(200);
      expect((await get('/records', { Cookie: `tm_session=${cookie}` })).status).toBe(200);

      const disable = await fetch(`${app.base}/api/admin/users`, {
        method: 'POST',
        redirect: 'manual',
        headers: asRole('admin', { ...sameSite(), 'Content-Type': 'application/x-www-form-urlencoded' }),
        body: new URLSearchParams({ action: 'disable', id: String(leaver) }),
      });
      expect(disable.status).toBe(303);
      expect(decodeURIComponent(disable.headers.get('location')!)).toContain('leaver@access.example is disabled: 1 session(s) ended, 1 API token(s) revoked.');
      expect((await get('/records', { Cookie: `tm_session=${cookie}` })).status).toBe(303);
      expect((await get(`/api/v1/referrals?${AS_OF}`, { Authorization: `Bearer ${token.token}` })).status).toBe(401);
      // Nor can they sign in again (the same answer as a wrong password).
      expect((await signIn('leaver@access.example', passwords.get('leaver@access.example')!)).location).toBe('/sign-in?error=invalid&next=%2F');
    });
  });

  // ---------------------------------------------------------------------------
  // Hostile data, cross-origin writes, headers

  const HOSTILE = [
    'referral_id,kind,unit,campaign,platform,group,language,content_type,url,content_hash,referred_at,received_at,outcome,outcome_at,outcome_reason,clock_paused_hours,views_at_referral,views_at_outcome,notes',
    'XSS-<script>alert(1)</script>,referral,eu-iru,,alpha,daesh,ar,video,https://alpha.example/item/<script>alert(2)</script>,,2026-02-10T08:00:00Z,,rejected,2026-02-11T08:00:00Z,manifest_error,,,,"=HYPERLINK(""http://evil.example"",""x"")"',
    '"XSS-=HYPERLINK(""http://evil.example"",""y"")",referral,eu-iru,,alpha,daesh,ar,video,https://alpha.example/item/x?next=javascript:alert(3),,2026-02-10T09:00:00Z,,pending,,,,,,',
    '"=HYPERLINK(""http://evil.example"",""z"")",referral,eu-iru,,alpha,daesh,ar,video,https://alpha.example/item/formula,,2026-02-10T10:00:00Z,,pending,,,,,,',
  ].join('\n');

  async function upload(role: Role, name: string, content: string | Buffer, headers: Record<string, string> = sameSite()): Promise<Response> {
    const form = new FormData();
    form.set('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    return fetch(`${app.base}/api/v1/imports`, { method: 'POST', redirect: 'manual', headers: asRole(role, { Accept: 'text/html', ...headers }), body: form });
  }

  describe('imports in the browser', () => {
    it('a steward uploads a file; the result page gives the counts, a re-upload changes nothing, and a bad file lists every error with a report to download', async () => {
      const res = await upload('steward', 'hostile.csv', HOSTILE);
      expect(res.status).toBe(303);
      const batchPage = res.headers.get('location')!;
      expect(batchPage).toMatch(/^\/import\/\d+$/);
      const html = await (await get(batchPage, asRole('steward'))).text();
      expect(html).toContain('imported');
      expect(html).toMatch(/3<!-- --> rows: <!-- -->3<!-- --> inserted, <!-- -->0<!-- --> updated, <!-- -->0<!-- --> unchanged/);
      const again = await upload('steward', 'hostile.csv', HOSTILE);
      expect(await (await get(again.headers.get('location')!, asRole('steward'))).text()).toMatch(/3<!-- --> rows: <!-- -->0<!-- --> inserted, <!-- -->0<!-- --> updated, <!-- -->3<!-- --> unchanged/);

      const bad = ['referral_id,kind,unit,campaign,platform,group,language,content_type,url,referred_at,outcome', 'JS-1,referral,eu-iru,,alpha,daesh,ar,video,javascript:alert(1),2026-02-10T08:00:00Z,pending', 'JS-2,referral,eu-iru,,alpha,daesh,xx-not-a-language,video,https://alpha.example/ok,2026-02-10T08:00:00Z,gone'].join('\n');
      const refused = await upload('steward', 'bad.csv', bad);
      const refusedPage = refused.headers.get('location')!;
      const page = await (await get(refusedPage, asRole('steward'))).text();
      expect(page).toContain('refused, nothing was written');
      expect(page).toContain('url &#x27;javascript:alert(1)&#x27; is not an absolute http(s) URL');
      expect(page).not.toMatch(/href="javascript:/i);
      const report = await (await get(`${refusedPage}/errors.csv`, asRole('steward'))).text();
      const lines = report.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('line,field,message');
      expect(lines.map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['line,field', '2,url', '3,language', '3,outcome']);
      // The history lists the batches.
      const history = await (await get('/import', asRole('steward'))).text();
      expect(history).toContain('hostile.csv');
      expect(history).toContain('bad.csv');
    }, 60_000);

    it('refuses a file over the size limit, and an analyst may not import', async () => {
      const big = Buffer.alloc(1.5 * 1024 * 1024, 'a');
      const res = await upload('steward', 'big.csv', big, { ...sameSite(), Accept: 'application/json' });
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toContain('larger than the limit of 1 MB');
      expect((await upload('analyst', 'hostile.csv', HOSTILE)).status).toBe(403);
    });
  });

  describe('imported strings render inert everywhere', () => {
    it('in the records page, the provider page and the CSV export, and no script runs in Chromium', async () => {
      const records = await (await get(`/records?${AS_OF}&platform=alpha`, asRole('analyst'))).text();
      expect(records).toContain('XSS-&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(records).toContain('https://alpha.example/item/&lt;script&gt;alert(2)&lt;/script&gt;');
      expect(records).not.toMatch(/<script>alert\(/);
      expect(records).not.toMatch(/href="javascript:/i);
      // A URL is never a link here (it points at live terrorist content).
      expect(records).not.toMatch(/href="https:\/\/alpha\.example/);

      const csv = await (await get(`/api/v1/referrals.csv?${AS_OF}&platform=alpha&sort=referral_id`, asRole('analyst'))).text();
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""z"")"`);
      expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);

      browser ??= await launchBrowser();
      const context = await browser.newContext();
      await context.addCookies([{ name: 'tm_session', value: cookies.get('admin')!, domain: '127.0.0.1', path: '/' }]);
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${app.base}/records?${AS_OF}&platform=alpha`, { waitUntil: 'networkidle' });
      // Shown as the text it is.
      expect(await page.getByText('XSS-<script>alert(1)</script>', { exact: true }).count()).toBe(1);
      for (const p of [`/providers/alpha?${AS_OF}`, '/import', '/admin/audit', '/admin/users']) {
        await page.goto(`${app.base}${p}`, { waitUntil: 'networkidle' });
        expect(await page.locator('h1').count()).toBeGreaterThan(0);
      }
      expect(dialogs).toEqual([]);
      await context.close();
    }, 60_000);
  });

  describe('cross-origin writes', () => {
    it('are refused: sign-in, sign-out, imports and user changes', async () => {
      const evil = { Origin: 'http://evil.example' };
      expect((await signIn('admin@access.example', passwords.get('admin@access.example')!, evil)).status).toBe(403);
      expect((await signIn('admin@access.example', passwords.get('admin@access.example')!, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
      // No Origin and no Sec-Fetch-Site: not provably same-origin, refused.
      expect((await signIn('admin@access.example', passwords.get('admin@access.example')!, {})).status).toBe(403);
      const out = await fetch(`${app.base}/api/auth/sign-out`, { method: 'POST', redirect: 'manual', headers: asRole('viewer', evil) });
      expect(out.status).toBe(403);
      expect((await get('/', asRole('viewer'))).status).toBe(200);
      expect((await upload('steward', 'hostile.csv', HOSTILE, evil)).status).toBe(403);
      const users = await fetch(`${app.base}/api/admin/users`, {
        method: 'POST',
        redirect: 'manual',
        headers: asRole('admin', { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/x-www-form-urlencoded' }),
        body: new URLSearchParams({ action: 'disable', id: '1' }),
      });
      expect(users.status).toBe(403);
      const db = look();
      expect(await sqlValue(db, 'SELECT disabled_at FROM users WHERE id = 1')).toBeNull();
    });
  });

  describe('security headers', () => {
    it('are on every answer: pages, the API, errors, static files, uploads and PDFs; authenticated answers are not stored', async () => {
      const home = await get(`/?${AS_OF}`, asRole('viewer'));
      const html = await home.text();
      const chunk = html.match(/\/_next\/static\/[^"]+\.js/)![0];
      const answers: [string, Response][] = [
        ['page', home],
        ['sign-in page', await get('/sign-in')],
        ['API', await get(`/api/v1/summary?${AS_OF}`, asRole('viewer'))],
        ['API refusal', await get('/api/v1/referrals', asRole('viewer'))],
        ['404', await get('/no-such-page', asRole('viewer'))],
        ['static file', await get(chunk)],
        ['upload', await upload('steward', 'big.csv', Buffer.alloc(10), { ...sameSite(), Accept: 'application/json' })],
        ['PDF', await get(`/briefing.pdf?${AS_OF}`, asRole('viewer'))],
      ];
      for (const [what, res] of answers) {
        const csp = res.headers.get('content-security-policy') ?? '';
        for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp, `${what}: ${csp}`).toContain(directive);
        expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
        expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
        if (what !== 'static file' && what !== 'sign-in page') expect(res.headers.get('cache-control'), what).toMatch(/no-store/);
      }
      // Scripts of a page run by this answer's nonce only.
      const nonce = home.headers.get('content-security-policy')!.match(/'nonce-([^']+)'/)![1];
      expect(html).toContain(`nonce="${nonce}"`);
    }, 60_000);
  });

  describe('the audit trail', () => {
    it('records sign-ins and failures, refusals, record views, exports, briefing downloads, imports and user changes, with neutralised values and no secrets', async () => {
      // A few actions of known shape.
      await signIn('evil\r\n2026-01-01 admin sign_in allowed\u202e@access.example', 'wrong-password-1');
      await get(`/records?${AS_OF}&platform=beta`, asRole('analyst'));
      await get(`/api/v1/referrals.csv?${AS_OF}&platform=beta`, asRole('analyst'));
      await get(`/briefing.pdf?${AS_OF}&platform=beta`, asRole('viewer'));
      await get(`/records?${AS_OF}`, asRole('viewer'));
      // Entries written while the database was busy land shortly after.
      await new Promise((r) => setTimeout(r, 500));
      const db = look();
      const rows = await sqlRows(db, 'SELECT actor, role, action, outcome, target, filters, detail FROM audit_log ORDER BY id') as Record<string, string | null>[];
      const has = (action: string, outcome: string, actor?: string) => rows.some((r) => r.action === action && r.outcome === outcome && (actor === undefined || r.actor === actor));
      expect(has('sign_in', 'allowed', 'viewer@access.example')).toBe(true);
      // An unknown address is kept only as a keyed hash (issue 14: it may be a password typed into the wrong field).
      expect(rows.some((r) => r.action === 'sign_in' && r.outcome === 'failed' && /^unknown address [0-9a-f]{12}$/.test(r.actor ?? ''))).toBe(true);
      expect(JSON.stringify(rows)).not.toContain('nobody@access.example');
      expect(has('sign_in', 'refused', 'throttled@access.example')).toBe(true);
      expect(has('sign_out', 'allowed', 'analyst@access.example')).toBe(true);
      expect(has('refused', 'refused', 'viewer@access.example')).toBe(true);
      expect(has('record_view', 'allowed', 'analyst@access.example')).toBe(true);
      expect(has('export', 'allowed', 'analyst@access.example')).toBe(true);
      expect(has('briefing_download', 'allowed', 'viewer@access.example')).toBe(true);
      expect(has('import', 'allowed', 'steward@access.example')).toBe(true);
      expect(has('import', 'failed', 'steward@access.example')).toBe(true);
      expect(has('user_disable', 'allowed', 'admin@access.example')).toBe(true);
      const view = rows.find((r) => r.action === 'record_view' && r.target === '/records' && r.filters?.includes('beta'))!;
      expect(JSON.parse(view.filters!)).toMatchObject({ platform: 'beta', as_of: '2026-03-01T00:00:00Z' });
      const refusal = rows.find((r) => r.action === 'refused' && r.actor === 'viewer@access.example' && r.target === '/records')!;
      expect(refusal).toMatchObject({ role: 'viewer', detail: 'needs analyst' });
      // A forged line break or direction override typed as an address never reaches the trail (it is not a user's address).
      expect(rows.some((r) => r.actor?.includes('evil'))).toBe(false);
      // No password and no token anywhere in the trail.
      const all = JSON.stringify(rows);
      for (const secret of [...passwords.values(), ...tokens.values(), ...cookies.values()]) expect(all).not.toContain(secret);
      // Append-only.
      await expect(sqlRows(db, "UPDATE audit_log SET actor = 'someone else'")).rejects.toThrow('audit_log is append-only');
      await expect(sqlRows(db, 'DELETE FROM audit_log')).rejects.toThrow('audit_log is append-only');
      // An administrator reads it, filtered.
      const page = await (await get('/admin/audit?action=export&actor=analyst%40access.example', asRole('admin'))).text();
      expect(page).toContain('/api/v1/referrals.csv');
      expect(page).not.toContain('briefing download</td>');
    }, 60_000);
  });

  describe('the rendered-page cache (behind the access checks)', () => {
    const page = `/providers?${AS_OF}&from=2026-02-01&to=2026-02-28`;
    const cacheStatus = (res: Response) => res.headers.get('x-takedown-page-cache');
    // What a browser sends when it loads a page (only such requests are served from the cache).
    const asDocument = (headers: Record<string, string>) => ({ ...headers, Accept: 'text/html,application/xhtml+xml', 'Sec-Fetch-Dest': 'document', 'Accept-Encoding': 'gzip' });

    it('serves a page asked again from memory, with the policy its scripts were made with, to its own user only', async () => {
      const first = await get(page, asDocument(asRole('viewer')));
      const firstBody = await first.text();
      const second = await get(page, asDocument(asRole('viewer')));
      const secondBody = await second.text();
      expect([cacheStatus(first), cacheStatus(second)]).toEqual(['miss', 'hit']);
      expect(secondBody).toBe(firstBody);
      // Compressed once on the way out (fetch decompresses it for the comparison above, which a second compression would fail).
      expect(second.headers.get('content-encoding')).toBe('gzip');
      const br = await get(page, { ...asDocument(asRole('viewer')), 'Accept-Encoding': 'gzip, deflate, br' });
      expect(await br.text()).toBe(firstBody);
      const nonce = second.headers.get('content-security-policy')!.match(/'nonce-([^']+)'/)![1];
      expect(secondBody).toContain(`nonce="${nonce}"`);
      expect(second.headers.get('cache-control')).toMatch(/no-store/);
      // Another user has an entry of their own (the page names who is signed in).
      const analyst = await get(page, asDocument(asRole('analyst')));
      expect(cacheStatus(analyst)).toBe('miss');
      expect(await analyst.text()).toContain('Test analyst');
      // Client navigations (component payloads) are rendered as usual, never given the cached HTML.
      const rsc = await fetch(`${app.base}${page}`, { headers: asRole('viewer', { RSC: '1' }) });
      expect([rsc.status, rsc.headers.get('content-type'), cacheStatus(rsc)]).toEqual([200, 'text/x-component', null]);
      const script = await get(page, asRole('viewer', { Accept: '*/*' }));
      expect(cacheStatus(script)).toBeNull();
    });

    it('renders again after a committed import, and the new figures show', async () => {
      const before = await (await get(page, asDocument(asRole('viewer')))).text();
      expect(before).toMatch(/<a [^>]*href="\/providers\/beta[^"]*"[^>]*>beta<\/a>/);
      const csv = path.join(dir, 'one-more.csv');
      fs.writeFileSync(
        csv,
        'referral_id,kind,unit,campaign,platform,group,language,content_type,url,referred_at,outcome\nCACHE-1,referral,eu-iru,,newhost,daesh,ar,video,https://newhost.example/item/1,2026-02-15T08:00:00Z,pending\n',
      );
      const db = look();
      expect((await importFile(db, csv)).status).toBe('committed');
      const after = await get(page, asDocument(asRole('viewer')));
      expect(cacheStatus(after)).toBe('miss');
      expect(await after.text()).toMatch(/href="\/providers\/newhost/);
    });

    it('serves nothing to a user disabled since, and audits record views served from it', async () => {
      await addUser('cached@access.example', 'analyst');
      const { cookie } = await signIn('cached@access.example', passwords.get('cached@access.example')!);
      const provider = `/providers/beta?${AS_OF}&from=2026-02-01`;
      await get(provider, asDocument({ Cookie: `tm_session=${cookie}` }));
      const hit = await get(provider, asDocument({ Cookie: `tm_session=${cookie}` }));
      expect(cacheStatus(hit)).toBe('hit');
      const db = look();
      const views = (await sqlRows(db, "SELECT detail FROM audit_log WHERE actor = 'cached@access.example' AND action = 'record_view' ORDER BY id")).map((r) => Object.values(r)[0]);
      expect(views).toEqual(['oldest items still online', 'served from the page cache']);
      const id = await sqlValue(db, "SELECT id FROM users WHERE email = 'cached@access.example'") as number;
      await db.write(async () => disableUser(db, id, Date.now()));
      const refused = await get(provider, asDocument({ Cookie: `tm_session=${cookie}` }));
      expect([refused.status, refused.headers.get('location')?.split('?')[0]]).toEqual([303, '/sign-in']);
    });
  });
}
