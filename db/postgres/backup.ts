// Backups of a PostgreSQL database with pg_dump's custom format (-Fc), and
// restores with pg_restore, from Debian's postgresql-client. A backup is
// taken in one exported snapshot, so the counts it reports are exactly
// what the file holds; a restore refuses any file that is not an intact
// dump of a Takedown Monitor database, and runs in one transaction with the
// new generation and data version, so it is whole or not at all and every
// server reads the restored data on its next request.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { BackupError, type BackupCheck } from '../store';
import { connect, describeUrl, migratePostgres, openPool } from './client';
import { value } from './sql';

/** The first bytes of every pg_dump custom-format archive. */
const DUMP_MAGIC = 'PGDMP';

/** libpq's view of the address: the password goes by environment (never on a command line others can read). */
function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env };
}

/** Runs a client program; its standard error in words when it fails. */
function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new BackupError(e.code === 'ENOENT' ? `${command} is not installed: apt-get install postgresql-client` : `${command} failed: ${e.message}`)),
    );
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new BackupError(`${command} failed: ${err.trim().split('\n').slice(0, 3).join(' ') || `exit ${code}`}`))));
  });
}

/** The table-of-contents entries of a dump (pg_restore --list): refuses a file that is no dump, a damaged one, or one of another application. */
export async function checkPostgresDump(file: string): Promise<{ tables: Set<string> }> {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist.`);
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 5, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') !== DUMP_MAGIC) throw new BackupError(`${file} is not a PostgreSQL backup (pg_dump -Fc archive) of Takedown Monitor.`);
  let list: string;
  try {
    list = await runTool('pg_restore', ['--list', file], process.env);
  } catch (err) {
    throw new BackupError(`${file} is damaged: ${(err as Error).message}`);
  }
  const tables = new Set([...list.matchAll(/ TABLE DATA (\S+) (\S+) /g)].map((m) => `${m[1]}.${m[2]}`));
  for (const needed of ['drizzle.__drizzle_migrations', 'public.referrals', 'public.import_batches', 'public.meta'])
    if (!tables.has(needed)) throw new BackupError(`${file} is not a backup of a Takedown Monitor database (it has no ${needed.split('.')[1]} table).`);
  return { tables };
}

/**
 * Dumps the database to `target` (which must not exist) in one snapshot,
 * counting what the snapshot holds; the file is written beside the target
 * and renamed into place when whole, then checked.
 */
export async function backupPostgres(pool: pg.Pool, url: string, target: string): Promise<BackupCheck> {
  if (fs.existsSync(target)) throw new BackupError(`${target} exists already: choose a new file name (a backup never overwrites).`);
  const partial = path.join(path.dirname(path.resolve(target)), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  const where = describeUrl(url);
  const client = await connect(pool, where);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await value<string>(client, 'SELECT pg_export_snapshot()'))!;
    const referrals = (await value<number>(client, 'SELECT count(*) FROM referrals')) ?? 0;
    const batches = (await value<number>(client, 'SELECT count(*) FROM import_batches')) ?? 0;
    const { dbname, env } = libpqTarget(url);
    // The snapshot lives as long as this transaction: pg_dump reads exactly what was counted.
    await runTool('pg_dump', ['-Fc', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, '-f', partial, '-d', dbname], env);
    await client.query('COMMIT');
    fs.renameSync(partial, target);
    await checkPostgresDump(target);
    return { referrals, batches, bytes: fs.statSync(target).size };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    fs.rmSync(partial, { force: true });
    throw err instanceof BackupError ? err : new BackupError(`The backup to ${target} failed: ${(err as Error).message}`);
  } finally {
    client.release();
  }
}

/**
 * Replaces the data of the database at `url` with the dump at `source`:
 * checked first; then pg_restore's statements and the new generation and
 * data version run through psql in one transaction (ON_ERROR_STOP), so a
 * failure changes nothing; then any migration the dump predates is applied.
 */
export async function restorePostgres(source: string, url: string): Promise<BackupCheck> {
  await checkPostgresDump(source);
  const where = describeUrl(url);
  const pool = openPool(url, 2);
  try {
    const client = await connect(pool, where);
    let before = 0;
    try {
      before = Number((await value<string>(client, "SELECT value FROM meta WHERE key = 'data_version'").catch(() => undefined)) ?? 0);
    } finally {
      client.release();
    }
    const { dbname, env } = libpqTarget(url);
    const generation = randomBytes(16).toString('hex');
    // Past both the live and the restored version, so that no server keeps figures of either.
    // (pg_restore's script empties search_path: names are qualified)
    const after = `
UPDATE public.meta SET value = (greatest(value::bigint, ${before}) + 1)::text WHERE key = 'data_version';
INSERT INTO public.meta (key, value) VALUES ('data_version', '${before + 1}') ON CONFLICT (key) DO NOTHING;
INSERT INTO public.meta (key, value) VALUES ('generation', '${generation}') ON CONFLICT (key) DO UPDATE SET value = excluded.value;
`;
    try {
      await pipeRestore(source, dbname, env, after);
    } catch (err) {
      throw new BackupError(`The restore into ${where} failed and changed nothing: ${(err as Error).message}`);
    }
    await migratePostgres(pool, where);
    const check = await connect(pool, where);
    try {
      return {
        referrals: (await value<number>(check, 'SELECT count(*) FROM referrals')) ?? 0,
        batches: (await value<number>(check, 'SELECT count(*) FROM import_batches')) ?? 0,
        bytes: fs.statSync(source).size,
      };
    } finally {
      check.release();
    }
  } finally {
    await pool.end();
  }
}

/**
 * pg_restore's statements into psql's one transaction, then `after`. psql
 * commits when its input ends, so the input is ended only when pg_restore
 * has written every statement; if pg_restore fails, psql is killed before
 * it reads the end, and the server rolls the transaction back.
 */
function pipeRestore(source: string, dbname: string, env: NodeJS.ProcessEnv, after: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = spawn('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '-f', '-', source], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const psql = spawn('psql', ['-X', '-q', '--single-transaction', '-v', 'ON_ERROR_STOP=1', '-d', dbname], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let scriptError = '';
    let psqlError = '';
    let failed: Error | null = null;
    const fail = (error: Error) => {
      failed ??= error;
      psql.kill('SIGKILL');
      script.kill('SIGKILL');
    };
    script.stderr.setEncoding('utf8').on('data', (d: string) => (scriptError += d));
    psql.stderr.setEncoding('utf8').on('data', (d: string) => (psqlError += d));
    psql.stdin.on('error', () => undefined); // psql gone: its exit says why
    script.stdout.pipe(psql.stdin, { end: false });
    script.on('error', (e) => fail(new Error(`pg_restore cannot run: ${e.message}`)));
    psql.on('error', (e) => fail(new Error(`psql cannot run: ${e.message}`)));
    script.on('close', (code) => {
      if (code === 0 && !failed) psql.stdin.end(after);
      else fail(new Error(`pg_restore: ${scriptError.trim() || `exit ${code}`}`));
    });
    psql.on('close', (code) => {
      if (failed) reject(failed);
      else if (code === 0) resolve();
      else reject(new Error(`psql: ${psqlError.trim().split('\n').slice(0, 3).join(' ') || `exit ${code}`}`));
    });
  });
}
