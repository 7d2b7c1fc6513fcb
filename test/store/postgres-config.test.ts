// PostgreSQL set up wrong: an unreachable server, refused credentials, a
// missing database, one of another application, one without its
// migrations. Each is said in words, as StoreOpenError (the app answers
// 503 with it), nothing is written, and a later use tries again.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '@/db/open';
import { StoreOpenError } from '@/db/store';
import { PASSWORD_ROLE } from '../../scripts/lib/postgres-cluster';
import { emptyPostgresDatabase, freshPostgresStore, POSTGRES_ADMIN_URL, POSTGRES_SKIPPED, postgresStore } from '../helpers/postgres';

const admin = async <T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const refusal = async (url: string) => {
  const store = postgresStore(url);
  const error = await store.audit.append([{ at: 1, actor: 'a', role: null, action: 'x', outcome: 'allowed', target: '/', filters: null, detail: null, client: null }]).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreOpenError);
  return (error as Error).message;
};

describe.skipIf(!POSTGRES_ADMIN_URL)(`PostgreSQL set up wrong${POSTGRES_ADMIN_URL ? '' : ` (skipped: ${POSTGRES_SKIPPED})`}`, () => {
  it('a server that does not answer', async () => {
    const message = await refusal('postgres://nobody@127.0.0.1:1/takedown');
    expect(message).toBe('Cannot open the database: no PostgreSQL server answers at postgres://nobody@127.0.0.1:1/takedown (connection refused): start the server, or check the host and port in DATABASE_URL.');
  });

  it('refused credentials, without the password in the message', async () => {
    const url = new URL(POSTGRES_ADMIN_URL!);
    // (a server of the machine's, TEST_DATABASE_URL, may trust everyone: then there is nothing to refuse)
    const made = await admin(url.toString(), async (c) => {
      const exists = (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [PASSWORD_ROLE])).rowCount;
      if (!exists) await c.query(`CREATE ROLE ${PASSWORD_ROLE} LOGIN PASSWORD 'the-right-one'`);
      return (await c.query("SELECT 1 FROM pg_hba_file_rules WHERE $1 = ANY(user_name) AND auth_method = 'scram-sha-256'", [PASSWORD_ROLE])).rowCount ?? 0;
    });
    // The private server of a run without TEST_DATABASE_URL always has the rule (scripts/lib/postgres-cluster.ts).
    if (!process.env.TEST_DATABASE_URL) expect(made).toBe(1);
    if (!made) return;
    url.username = PASSWORD_ROLE;
    url.password = 'a-wrong-one';
    const message = await refusal(url.toString());
    expect(message).toMatch(new RegExp(`^Cannot open the database: the PostgreSQL server at postgres://${PASSWORD_ROLE}@127\\.0\\.0\\.1:\\d+/postgres refused the user name or password of DATABASE_URL\\.$`));
    expect(message).not.toContain('a-wrong-one');
  });

  it('a database that does not exist', async () => {
    const url = new URL(POSTGRES_ADMIN_URL!);
    url.pathname = '/tm_test_not_made';
    expect(await refusal(url.toString())).toMatch(/the database of postgres:\/\/.*\/tm_test_not_made does not exist: create it \(createdb\) and run npm run db:migrate\.$/);
  });

  it('an empty database, then the same store once it is migrated (tried again, not remembered for ever)', async () => {
    const url = await emptyPostgresDatabase();
    expect(await refusal(url)).toMatch(/is empty \(no Takedown Monitor tables yet\): run npm run db:migrate/);
    const store = postgresStore(url);
    await expect(store.meta.get('x')).rejects.toBeInstanceOf(StoreOpenError);
    await postgresStore(url, { migrate: true }).meta.get('x');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await store.meta.get('x')).toBeNull();
  });

  it("another application's database: refused, never migrated into, and left as it was", async () => {
    const url = await emptyPostgresDatabase();
    await admin(url, (c) => c.query('CREATE TABLE invoices (id int); CREATE TABLE customers (id int)'));
    expect(await refusal(url)).toMatch(/holds tables of another application \(customers, invoices\), not Takedown Monitor's/);
    const migrating = openStore({ engine: 'postgres', url }, { migrate: true });
    await expect(migrating.meta.get('x')).rejects.toThrow(/another application/);
    await migrating.close();
    expect(await admin(url, async (c) => (await c.query("SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema IN ('public', 'drizzle') ORDER BY 1")).rows.map((r) => r.t))).toEqual([
      'public.customers',
      'public.invoices',
    ]);
  });

  it('a database without its latest migration, and one migrated by a newer version', async () => {
    const { url } = await freshPostgresStore();
    await admin(url, (c) => c.query('DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)'));
    expect(await refusal(url)).toMatch(/lacks migration 0003_records_order: run npm run db:migrate, then restart the app servers\.$/);
    await admin(url, (c) => c.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', ['future', 9_999_999_999_999]));
    expect(await refusal(url)).toMatch(/was migrated by a newer version of Takedown Monitor than this one/);
    expect(await admin(url, async (c) => Number((await c.query('SELECT count(*) FROM audit_log')).rows[0].count))).toBe(0);
  });

  it('history and the audit trail refuse UPDATE, DELETE and TRUNCATE', async () => {
    const { url, store } = await freshPostgresStore();
    await store.audit.append([{ at: 1, actor: 'a', role: null, action: 'x', outcome: 'allowed', target: '/', filters: null, detail: null, client: null }]);
    // (a row trigger fires only on a row: one history entry to refuse changing)
    await admin(url, (c) =>
      c.query(`INSERT INTO import_batches (file_name, sha256, format, actor, started_at, finished_at, status, rows, inserted, updated, unchanged, rejected, error_count)
               VALUES ('a.csv', '', 'csv', 'test', 0, 0, 'committed', 0, 0, 0, 0, 0, 0);
               INSERT INTO referral_history (referral_id, batch_id, field, old_value, new_value) VALUES ('R-1', 1, 'outcome', 'pending', 'removed')`),
    );
    for (const statement of ["UPDATE audit_log SET actor = 'b'", 'DELETE FROM audit_log', 'TRUNCATE audit_log', "UPDATE referral_history SET field = 'x'", 'DELETE FROM referral_history', 'TRUNCATE referral_history'])
      await expect(admin(url, (c) => c.query(statement)), statement).rejects.toThrow(/is append-only/);
    expect((await store.audit.read({ page: 1, pageSize: 10 })).rows.map((r) => r.actor)).toEqual(['a']);
  });

  it('references of referrals hold as foreign keys do, checked once per statement: no row names a missing code, no named code goes', async () => {
    const { url } = await freshPostgresStore();
    await admin(url, (c) => c.query(`INSERT INTO units (code, name) VALUES ('eu-iru', 'EU IRU'); INSERT INTO platforms (code, name) VALUES ('vidora', 'Vidora'), ('spare', 'Spare');
      INSERT INTO groups (code, name) VALUES ('g1', 'G1'); INSERT INTO import_batches (file_name, sha256, format, actor, started_at, finished_at, status, rows, inserted, updated, unchanged, rejected, error_count)
      VALUES ('a.csv', '', 'csv', 'test', 0, 0, 'committed', 0, 0, 0, 0, 0, 0)`));
    const insert = (platform: string, batch = 'max(id)') =>
      admin(url, (c) =>
        c.query(`INSERT INTO referrals (referral_id, kind, unit, platform, group_code, language, content_type, url, referred_at, outcome, row_digest, created_batch, updated_batch)
                 SELECT 'R-' || $1, 'referral', 'eu-iru', $1, 'g1', 'ar', 'video', 'https://v.example/' || $1, 1, 'pending', 0, ${batch}, ${batch} FROM import_batches`, [platform]),
      );
    await expect(insert('nowhere')).rejects.toThrow('referrals name platform nowhere that does not exist');
    await expect(insert('vidora', '999')).rejects.toThrow('referrals name import batch 999 that does not exist');
    await insert('vidora');
    await expect(admin(url, (c) => c.query("UPDATE referrals SET platform = 'gone'"))).rejects.toThrow('referrals name platform gone that does not exist');
    await expect(admin(url, (c) => c.query("DELETE FROM platforms WHERE code = 'vidora'"))).rejects.toThrow('platforms vidora is named by referrals (platform)');
    await expect(admin(url, (c) => c.query("UPDATE platforms SET code = 'renamed' WHERE code = 'vidora'"))).rejects.toThrow('is named by referrals');
    await expect(admin(url, (c) => c.query('DELETE FROM import_batches'))).rejects.toThrow(/import_batches \d+ is named by referrals \(created_batch\)/);
    // A code no referral names may go; a rename that keeps the code is no change of reference.
    await admin(url, (c) => c.query("DELETE FROM platforms WHERE code = 'spare'; UPDATE platforms SET name = 'Vidora (renamed)' WHERE code = 'vidora'"));
    expect(await admin(url, async (c) => (await c.query('SELECT code, name FROM platforms ORDER BY code')).rows)).toEqual([{ code: 'vidora', name: 'Vidora (renamed)' }]);
  });
});
