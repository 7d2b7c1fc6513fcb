// Access control's parts, with a clock the tests control.
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import { insertAudit, neutraliseLogValue } from '@/lib/auth/audit';
import { cookieValue } from '@/lib/auth/authenticate';
import { safeNext, sameOrigin } from '@/lib/auth/origin';
import { AccessDenied, assertMay, isRole, may, roleHas, ROLE_WORDS, ROLES, type Capability } from '@/lib/auth/roles';
import { PAGES_SHOWING_RECORDS, ROUTE_RULES, ruleOfPath, type Route } from '@/lib/auth/rules';
import { hashPassword, passwordProblem, randomPassword, verifyPassword } from '@/lib/auth/secrets';
import { checkApiToken, checkSession, createApiToken, createSession, disableUser, insertUser, setPassword, touchSession, UserError } from '@/lib/auth/accounts';
import { memoryDb } from '../helpers/db';
import { principalOf } from '../helpers/principals';
import { mayUse, WHO_MAY } from '../helpers/who-may';

const MIN = 60_000;
const LIMITS = { idleMs: 30 * MIN, maxMs: 12 * 60 * MIN };
const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

async function withUser(db: SqliteStore, email = 'a@example.org', role: (typeof ROLES)[number] = 'analyst'): Promise<number> {
  return insertUser(db, { email, name: 'A', role, passwordHash: '!' }, T0);
}

describe('roles', () => {
  it('are cumulative: viewer < analyst < steward < admin', () => {
    const capabilities: Capability[] = ['aggregates', 'records', 'exports', 'import', 'admin'];
    const table = ROLES.map((role) => capabilities.map((c) => (roleHas(role, c) ? 1 : 0)));
    expect(table).toEqual([
      [1, 0, 0, 0, 0],
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 0],
      [1, 1, 1, 1, 1],
    ]);
    expect(() => assertMay(principalOf('viewer'), 'records')).toThrow(AccessDenied);
    expect(() => assertMay(null, 'aggregates')).toThrow(AccessDenied);
    expect(() => assertMay(principalOf('analyst'), 'records')).not.toThrow();
  });

  it('find the rule of a concrete path, static routes before dynamic ones', () => {
    expect(ruleOfPath('/providers/alpha')).toEqual({ route: '/providers/[code]', rule: 'aggregates' });
    expect(ruleOfPath('/import/12/errors.csv')).toEqual({ route: '/import/[batch]/errors.csv', rule: 'import' });
    expect(ruleOfPath('/records')).toEqual({ route: '/records', rule: 'records' });
    expect(ruleOfPath('/providers/')).toEqual({ route: '/providers', rule: 'aggregates' });
    expect(ruleOfPath('/no/such/page')).toBeNull();
  });

  it('match a dynamic segment only with something in it, and only at its own depth', () => {
    expect(ruleOfPath('/groups/isil')).toEqual({ route: '/groups/[code]', rule: 'aggregates' });
    expect(ruleOfPath('/import/7')).toEqual({ route: '/import/[batch]', rule: 'import' });
    // Empty segments (doubled slashes) are dropped before matching.
    expect(ruleOfPath('//records/')).toEqual({ route: '/records', rule: 'records' });
    expect(ruleOfPath('/import//errors.csv')).toEqual({ route: '/import/[batch]', rule: 'import' });
    expect(ruleOfPath('/providers/alpha/extra')).toBeNull();
    expect(ruleOfPath('/import/7/other.csv')).toBeNull();
    expect(ruleOfPath('/nowhere/alpha')).toBeNull();
  });

  // The table of lib/auth/rules.ts held to the hand-written one of the README
  // (test/helpers/who-may.ts) without a server: the HTTP matrix of
  // test/e2e/access.test.ts asks the same, but needs a build.
  it('give every route exactly the roles of the README table', () => {
    expect(Object.keys(ROUTE_RULES).sort()).toEqual(Object.keys(WHO_MAY).sort());
    const wrong: string[] = [];
    for (const [route, rule] of Object.entries(ROUTE_RULES)) {
      for (const role of [null, ...ROLES]) {
        const granted = rule === 'public' || (role !== null && roleHas(role, rule));
        if (granted !== mayUse(route, role)) wrong.push(`${route} as ${role ?? 'nobody'}: ${granted ? 'granted' : 'refused'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect([...PAGES_SHOWING_RECORDS].sort()).toEqual(['/orders', '/providers/[code]', '/records'] satisfies Route[]);
  });

  it('answer may() as assertMay does, and name the role a refusal needs', () => {
    expect(may(null, 'aggregates')).toBe(false);
    expect(may(principalOf('viewer'), 'aggregates')).toBe(true);
    expect(may(principalOf('viewer'), 'records')).toBe(false);
    expect(may(principalOf('steward'), 'import')).toBe(true);
    expect(may(principalOf('steward'), 'admin')).toBe(false);
    const refusal = (() => {
      try {
        assertMay(principalOf('analyst'), 'import');
      } catch (e) {
        return e;
      }
    })();
    expect(refusal).toBeInstanceOf(AccessDenied);
    expect(refusal).toMatchObject({ name: 'AccessDenied', capability: 'import', message: 'this needs the steward role' });
    expect(new AccessDenied('admin').message).toBe('this needs the admin role');
    expect(new AccessDenied('exports').message).toBe('this needs the analyst role');
  });

  it('know the four roles by name and in words', () => {
    expect(ROLES.filter(isRole)).toEqual(['viewer', 'analyst', 'steward', 'admin']);
    expect(['Admin', 'root', '', 'viewer ', 'aggregates'].filter(isRole)).toEqual([]);
    expect(ROLE_WORDS.steward).toBe('data steward (also imports)');
    expect(Object.values(ROLE_WORDS).map((w) => w.split(' (')[0])).toEqual(['viewer', 'analyst', 'data steward', 'administrator']);
  });
});

describe('passwords and tokens', () => {
  it('hashes with Argon2id at the OWASP parameters and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
    // An unknown user: a verification is still made, and fails.
    expect(await verifyPassword(null, 'correct horse battery')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('generates passwords of 20 characters from an unambiguous alphabet, never twice the same', () => {
    const many = Array.from({ length: 500 }, randomPassword);
    expect(new Set(many).size).toBe(500);
    for (const p of many) expect(p).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{20}$/);
    expect(passwordProblem('short')).toBe('a password needs at least 12 characters');
    expect(passwordProblem(many[0])).toBeNull();
  });

  it('reads the session cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; tm_session=abc; b=2', 'tm_session')).toBe('abc');
    expect(cookieValue('xtm_session=abc', 'tm_session')).toBeNull();
    expect(cookieValue(null, 'tm_session')).toBeNull();
  });
});

describe('sessions at a controlled time', () => {
  it('end 30 minutes after the last request and 12 hours after sign-in, to the millisecond', async () => {
    const db = memoryDb();
    const user = await withUser(db);
    const { token, id } = await db.write(async () => createSession(db, user, T0));
    expect((await checkSession(db, token, T0 + 30 * MIN - 1, LIMITS)).ok).toBe(true);
    expect(await checkSession(db, token, T0 + 30 * MIN, LIMITS)).toMatchObject({ ok: false, reason: 'idle' });
    // Requests keep it alive...
    for (let t = T0 + 25 * MIN; t < T0 + 12 * 60 * MIN; t += 25 * MIN) {
      expect((await checkSession(db, token, t, LIMITS)).ok).toBe(true);
      await db.write(async () => touchSession(db, id, t));
    }
    // ...but never beyond 12 hours.
    expect((await checkSession(db, token, T0 + 12 * 60 * MIN - 1, LIMITS)).ok).toBe(true);
    expect(await checkSession(db, token, T0 + 12 * 60 * MIN, LIMITS)).toMatchObject({ ok: false, reason: 'expired' });
    expect(await checkSession(db, 'not-a-token', T0, LIMITS)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('end when the user is disabled or their password is reset; both also revoke API tokens', async () => {
    const db = memoryDb();
    const user = await withUser(db);
    const a = await db.write(async () => createSession(db, user, T0));
    const token = await db.write(async () => createApiToken(db, user, 'script', T0));
    expect((await checkApiToken(db, token.token))?.principal.role).toBe('analyst');
    expect(await db.write(async () => setPassword(db, user, '!!', T0 + MIN))).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
    expect(await checkSession(db, a.token, T0 + 2 * MIN, LIMITS)).toMatchObject({ ok: false, reason: 'ended' });
    // A token made before the reset is dead too (a stolen token dies with the old password).
    expect(await checkApiToken(db, token.token)).toBeNull();
    const b = await db.write(async () => createSession(db, user, T0 + 3 * MIN));
    const later = await db.write(async () => createApiToken(db, user, 'script', T0 + 3 * MIN));
    expect(await db.write(async () => disableUser(db, user, T0 + 4 * MIN))).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
    expect(await checkSession(db, b.token, T0 + 5 * MIN, LIMITS)).toMatchObject({ ok: false });
    expect(await checkApiToken(db, later.token)).toBeNull();
  });

  it('refuses a second user with the same address, whatever its case', async () => {
    const db = memoryDb();
    await withUser(db, 'Someone@Example.org');
    await expect(withUser(db, ' someone@example.ORG ')).rejects.toThrow(UserError);
    await expect(withUser(db, 'not an address')).rejects.toThrow("'not an address' is not an e-mail address");
  });
});

describe('the audit trail', () => {
  it('neutralises control characters and direction overrides, and refuses UPDATE and DELETE', async () => {
    expect(neutraliseLogValue('a\r\nb\u0000c\u202ed\u2066e\u0085f')).toBe('a\\u000d\\u000ab\\u0000c\\u202ed\\u2066e\\u0085f');
    expect(neutraliseLogValue('plain text, ünïcødé, 中文')).toBe('plain text, ünïcødé, 中文');
    expect(neutraliseLogValue('x'.repeat(5000))).toHaveLength(2001);
    const db = memoryDb();
    await db.write(async () => insertAudit(db, { actor: principalOf('viewer'), action: 'refused', outcome: 'refused', target: '/records', filters: new URLSearchParams('platform=a&password=hunter2&token=t'), at: T0 }));
    const row = db.db.$client.prepare('SELECT * FROM audit_log').get() as Record<string, unknown>;
    expect(row).toMatchObject({ at: T0, actor: 'viewer@test.example', role: 'viewer', action: 'refused', target: '/records' });
    expect(JSON.parse(row.filters as string)).toEqual({ platform: 'a', password: '(not logged)', token: '(not logged)' });
    expect(() => db.db.$client.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow('audit_log is append-only');
    expect(() => db.db.$client.prepare('DELETE FROM audit_log').run()).toThrow('audit_log is append-only');
  });
});

describe('same-origin checks and redirects', () => {
  const req = (headers: Record<string, string>) => new Request('http://127.0.0.1:3000/api/auth/sign-in', { method: 'POST', headers: { host: '127.0.0.1:3000', ...headers } });
  it('accept this site and refuse others', () => {
    expect(sameOrigin(req({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(sameOrigin(req({ 'sec-fetch-site': 'cross-site', origin: 'http://127.0.0.1:3000' }))).toBe(false);
    expect(sameOrigin(req({ 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'http://127.0.0.1:3000' }))).toBe(true);
    expect(sameOrigin(req({ origin: 'http://evil.example' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'null' }))).toBe(false);
    expect(sameOrigin(req({}))).toBe(false);
  });

  it('go back only to a path of this site', () => {
    expect(safeNext('/records?platform=a')).toBe('/records?platform=a');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', null, '/a\nb', `/${'a'.repeat(2001)}`]) expect(safeNext(bad)).toBe('/');
    // Issue 14: a path with characters a Location header cannot carry comes back percent-encoded, the same path.
    expect(safeNext('/\u3000')).toBe('/%E3%80%80');
    expect(safeNext('/%E3%80%80')).toBe('/%E3%80%80');
    expect(safeNext('/groups/é?x=ü y')).toBe('/groups/%C3%A9?x=%C3%BC%20y');
    for (const next of ['/\u3000', '/groups/é?x=ü y', '/%E3%80%80']) expect(() => new Headers({ Location: safeNext(next) })).not.toThrow();
  });
});
