// Two app servers (`next start` twice, different ports) on one PostgreSQL
// database: sessions, sign-in throttling and the audit trail hold across
// them, an import through one shows on the other within a second; and a
// server pointed at a database that is not there says so in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, insertUser } from '@/lib/auth/accounts';
import { hashPassword, randomPassword } from '@/lib/auth/secrets';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV } from '../helpers/db';
import { sqlRows } from '../helpers/engines';
import { textOf } from '../helpers/html';
import { POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from '../helpers/postgres';
import { buildOnce, e2eDatabase, startServer, type E2eDatabase, type Server } from '../helpers/server';

const AS_OF = 'as_of=2026-03-01T00:00:00Z';

describe.skipIf(!POSTGRES_ADMIN_URL)(`two app servers on one PostgreSQL database${POSTGRES_ADMIN_URL ? '' : ` (skipped: ${POSTGRES_SKIPPED})`}`, () => {
  let database: E2eDatabase;
  let a: Server;
  let b: Server;
  const passwords = new Map<string, string>();
  let stewardToken = '';

  async function addUser(email: string, role: 'viewer' | 'steward'): Promise<number> {
    const password = randomPassword();
    passwords.set(email, password);
    const passwordHash = await hashPassword(password);
    return database.store.write((tx) => insertUser(tx, { email, name: email, role, passwordHash }, Date.now()));
  }

  async function signIn(server: Server, email: string, password: string): Promise<{ cookie: string | null; location: string | null }> {
    const res = await fetch(`${server.base}/api/auth/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.base },
      body: new URLSearchParams({ email, password, next: '/' }),
    });
    return { cookie: res.headers.get('set-cookie')?.match(/tm_session=([^;]+)/)?.[1] ?? null, location: res.headers.get('location') };
  }

  const page = (server: Server, path: string, cookie: string) => fetch(`${server.base}${path}`, { redirect: 'manual', headers: { Cookie: `tm_session=${cookie}` } });

  beforeAll(async () => {
    buildOnce();
    database = await e2eDatabase('postgres');
    await importFile(database.store, FIXTURE_CSV);
    await addUser('viewer@two.example', 'viewer');
    const steward = await addUser('steward@two.example', 'steward');
    stewardToken = (await database.store.write((tx) => createApiToken(tx, steward, 'two servers', Date.now()))).token;
    [a, b] = await Promise.all([startServer(database), startServer(database)]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('a session made on A works on B; signing out on B ends it on A', async () => {
    const { cookie } = await signIn(a, 'viewer@two.example', passwords.get('viewer@two.example')!);
    expect(cookie).not.toBeNull();
    const onB = await page(b, `/?${AS_OF}`, cookie!);
    expect(onB.status).toBe(200);
    expect(textOf(await onB.text())).toContain('Served from a PostgreSQL database server.');
    const out = await fetch(`${b.base}/api/auth/sign-out`, { method: 'POST', redirect: 'manual', headers: { Cookie: `tm_session=${cookie}`, Origin: b.base } });
    expect(out.status).toBe(303);
    const onA = await page(a, '/', cookie!);
    expect([onA.status, onA.headers.get('location')?.split('?')[0]]).toEqual([303, '/sign-in']);
  });

  it('five failed sign-ins spread over A and B hold the address on both', async () => {
    const email = 'viewer@two.example';
    for (const [i, server] of [a, b, a, b, a].entries()) expect((await signIn(server, email, `wrong-${i}`)).location).toBe('/sign-in?error=invalid&next=%2F');
    for (const server of [a, b]) {
      const right = await signIn(server, email, passwords.get(email)!);
      expect(right.cookie).toBeNull();
      expect(right.location).toMatch(/^\/sign-in\?error=throttled&seconds=\d+&next=%2F$/);
    }
  });

  it("an import through A's browser upload shows its figures on B within a second", async () => {
    const total = async (server: Server) =>
      ((await (await fetch(`${server.base}/api/v1/summary?${AS_OF}`, { headers: { Authorization: `Bearer ${stewardToken}` } })).json()) as { total: number }).total;
    expect(await total(b)).toBe(24);
    const form = new FormData();
    const csv = 'referral_id,kind,unit,campaign,platform,group,language,content_type,url,referred_at,outcome\nTWO-1,referral,eu-iru,,beta,daesh,ar,video,https://beta.example/item/TWO-1,2026-02-20T08:00:00Z,pending\n';
    form.set('file', new Blob([csv]), 'two.csv');
    const res = await fetch(`${a.base}/api/v1/imports`, { method: 'POST', headers: { Authorization: `Bearer ${stewardToken}`, Accept: 'application/json', Origin: a.base }, body: form });
    expect(res.status).toBe(201);
    const committed = Date.now();
    let seen = await total(b);
    while (seen !== 25 && Date.now() - committed < 5_000) seen = await total(b);
    expect(seen).toBe(25);
    expect(Date.now() - committed).toBeLessThan(1_000);
  });

  it('the audit trail holds the entries of both servers', async () => {
    const rows = await sqlRows(database.store, "SELECT action, outcome, actor FROM audit_log WHERE actor = 'viewer@two.example' OR action = 'import' ORDER BY id");
    const count = (action: string, outcome: string) => rows.filter((r) => r.action === action && r.outcome === outcome).length;
    // The sign-in on A, the sign-out on B, the five failures (three on A, two on B), the import on A; of the two refusals
    // (one on each) the first is an entry and the next is counted in the same window of the one client address.
    expect([count('sign_in', 'allowed'), count('sign_out', 'allowed'), count('sign_in', 'failed'), count('sign_in', 'refused'), count('import', 'allowed')]).toEqual([1, 1, 5, 1, 1]);
    expect(await sqlRows(database.store, 'SELECT count FROM sign_in_refusals')).toEqual([{ count: 2 }]);
  });

  it('a server pointed at a database that does not exist starts, and its page and API say so in words (503)', async () => {
    const url = new URL(database.env.DATABASE_URL);
    url.pathname = '/tm_test_never_made';
    const lost = await startServer({ ...database, env: { DATABASE_URL: url.toString() } });
    try {
      const html = textOf(await (await fetch(`${lost.base}/`)).text());
      expect(html).toContain('The database cannot be used');
      expect(html).toMatch(/the database of postgres:\/\/postgres@127\.0\.0\.1:\d+\/tm_test_never_made does not exist: create it \(createdb\) and run npm run db:migrate\./);
      const api = await fetch(`${lost.base}/api/v1/summary?${AS_OF}`, { headers: { Authorization: `Bearer ${stewardToken}` } });
      expect(api.status).toBe(503);
      expect((await api.json()).error.message).toMatch(/does not exist/);
      expect(lost.process.exitCode).toBeNull();
    } finally {
      await lost.stop();
    }
  });
});
