// Connecting to PostgreSQL: the one place that knows the pool, how values
// come back (bigint as JavaScript numbers), how migrations are applied and
// checked, and how the server's refusals read in words.
import fs from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import { StoreOpenError } from '../store';
export { describeUrl } from '../config';

/** Where PostgreSQL's migrations live (SQLite's are in db/sqlite/migrations). */
export function migrationsFolder(): string {
  return path.join(process.cwd(), 'db', 'postgres', 'migrations');
}

// int8 (bigint, count(*)) arrives as text by default; every one here is an
// instant, an id or a count well inside 2^53, so as a number. numeric is
// never used. Per pool, not pg's global table: nothing else in the process changes.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function openPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    // A server that does not answer is reported, not waited for forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'takedown-monitor',
  });
  // An idle connection the server drops (a restart) is replaced on the next use; without a listener it would crash the process.
  pool.on('error', (err) => console.warn(`PostgreSQL connection lost while idle: ${err.message}`));
  // A connection lost while checked out also reports itself as an event, besides failing the statement
  // it ran (which the store turns into words): without this listener that event would crash the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** pg's and the server's errors as a sentence a person can act on. */
export function describePgError(err: unknown, where: string): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return `no PostgreSQL server answers at ${where} (connection refused): start the server, or check the host and port in DATABASE_URL.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${where} is not known: check DATABASE_URL.`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection to the PostgreSQL server at ${where} was cut (${e.code}): the server restarted, an administrator ended the session, or the network failed.`;
    case 'ETIMEDOUT':
      return `the PostgreSQL server at ${where} did not answer in time: check the address and the network.`;
    case '28P01':
    case '28000':
      return `the PostgreSQL server at ${where} refused the user name or password of DATABASE_URL.`;
    case '3D000':
      return `the database of ${where} does not exist: create it (createdb) and run npm run db:migrate.`;
    case '57P01':
      // The same code for a server shutting down and for an administrator's pg_terminate_backend.
      return `the PostgreSQL server at ${where} ended the connection (${e.message}): it is shutting down, or an administrator ended the session; try again in a minute.`;
    case '57P03':
      return `the PostgreSQL server at ${where} is starting up: try again in a minute.`;
    default:
      break;
  }
  if (e.message?.includes('timeout exceeded when trying to connect')) return `the PostgreSQL server at ${where} did not answer within 5 seconds.`;
  return `PostgreSQL at ${where}: ${e.message ?? String(err)}`;
}

/** The migrations table drizzle keeps (schema drizzle): every Takedown Monitor database on PostgreSQL has it. */
const MIGRATIONS = 'drizzle.__drizzle_migrations';
/** Held while migrating, so that two servers (or two db:migrate) never migrate at once. */
const MIGRATE_LOCK = 7_261_001;

/** Applies the pending migrations, one migrator at a time. */
export async function migratePostgres(pool: pg.Pool, where: string): Promise<void> {
  const client = await connect(pool, where);
  try {
    await refuseForeign(client, where);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder: migrationsFolder() });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]);
    }
  } finally {
    client.release();
  }
}

/**
 * Refuses a database that is not Takedown Monitor's or lacks a migration
 * (in words, naming what to do); the app never migrates on its own on
 * PostgreSQL: several servers share the database, and `npm run db:migrate`
 * is the one step that changes its schema.
 */
export async function checkSchema(pool: pg.Pool, where: string): Promise<void> {
  const client = await connect(pool, where);
  try {
    await refuseForeign(client, where);
    const applied = await client.query<{ created_at: number }>(`SELECT created_at FROM ${MIGRATIONS} ORDER BY created_at`).catch(() => null);
    const known = readMigrationFiles({ migrationsFolder: migrationsFolder() });
    const journal = journalTags();
    const last = applied?.rows.at(-1)?.created_at ?? -1;
    const missing = known.filter((m) => m.folderMillis > last).map((m) => journal.get(m.folderMillis) ?? String(m.folderMillis));
    if (applied === null || applied.rows.length === 0)
      throw new StoreOpenError(`The database at ${where} is empty (no Takedown Monitor tables yet): run npm run db:migrate with this DATABASE_URL.`);
    if (missing.length > 0)
      throw new StoreOpenError(`The database at ${where} lacks ${missing.length === 1 ? 'migration' : 'migrations'} ${missing.join(', ')}: run npm run db:migrate, then restart the app servers.`);
    if (last > (known.at(-1)?.folderMillis ?? 0))
      throw new StoreOpenError(`The database at ${where} was migrated by a newer version of Takedown Monitor than this one: run that version, or restore a backup made by this one.`);
  } finally {
    client.release();
  }
}

function journalTags(): Map<number, string> {
  const file = path.join(migrationsFolder(), 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8')) as { entries: { when: number; tag: string }[] };
  return new Map(journal.entries.map((e) => [e.when, e.tag]));
}

export async function connect(pool: pg.Pool, where: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw new StoreOpenError(`Cannot open the database: ${describePgError(err, where)}`);
  }
}

/**
 * Tables of another application in the database are refused, never
 * migrated into: Takedown Monitor's tables must not be written among
 * someone else's. Ours is recognised by its migrations table holding our
 * first migration.
 */
async function refuseForeign(client: pg.PoolClient, where: string): Promise<void> {
  const tables = (await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).rows.map((r) => r.name);
  if (tables.length === 0) return;
  const first = readMigrationFiles({ migrationsFolder: migrationsFolder() })[0];
  const ours = await client.query(`SELECT 1 FROM ${MIGRATIONS} WHERE hash = $1`, [first.hash]).then(
    (r) => (r.rowCount ?? 0) > 0,
    () => false,
  );
  if (ours) return;
  throw new StoreOpenError(
    `The database at ${where} holds tables of another application (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}), not Takedown Monitor's. Point DATABASE_URL at a Takedown Monitor database or at a new, empty one.`,
  );
}
