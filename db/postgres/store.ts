// The Store on PostgreSQL (node-postgres, a pool): several app servers share
// one database. Readers never wait for an import (MVCC); imports take an
// advisory lock, so two never interleave; other writes wait only for the
// rows they touch. The schema is checked when the store is first used, not
// migrated (npm run db:migrate does that): a database that is unreachable,
// foreign or behind answers StoreOpenError in words, and is tried again on
// a later use.
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import type { BatchRecord } from '../rows';
import { StoreBusyError, StoreOpenError, type BackupCheck, type FactsMark, type ImportSession, type Store, type WriteOptions } from '../store';
import { backupPostgres } from './backup';
import { checkSchema, connect, describePgError, describeUrl, migratePostgres, openPool } from './client';
import { appendAudit, readAudit } from './queries/audit';
import { bumpDataVersion, countChangesSince, factsMark, getDataVersion, loadFactColumns } from './queries/facts';
import {
  getBatch,
  importErrorsOf,
  insertBatch,
  iterateImportErrors,
  lastCommittedBatch,
  listBatches,
  openImportSession,
  storeImportErrors,
  updateBatch,
} from './queries/import';
import { getMeta, setMeta } from './queries/meta';
import { countReferrals, listCampaigns, upsertReferenceData } from './queries/reference';
import { getReferralPage, getReferralsByRowId, iterateReferrals } from './queries/referrals';
import * as signIns from './queries/sign-ins';
import * as users from './queries/users';
import type { Queryable } from './sql';

/** The advisory lock every import holds to its commit: imports of all servers, one at a time. */
const IMPORT_LOCK = 7_261_002;
/** How long an import waits for another server's import to finish (a million rows take some 20 s). */
const IMPORT_WAIT_MS = 300_000;
/** Memory for the sorts and hashes of one import's merge. */
const IMPORT_WORK_MEM = '256MB';
/** How long a write made on the store itself (outside `write`) waits for the rows it touches. */
const DEFAULT_WAIT_MS = 10_000;
/** After a failed first use, the next use within this long answers the same error instead of asking the server again. */
const RETRY_AFTER_MS = 1_000;

/** The transaction the running code is inside, if any (a write asked for within it joins it). */
const within = new AsyncLocalStorage<PostgresStore>();

/** PostgreSQL's codes for a lock not had in time (lock_timeout) and for a deadlock. */
const LOCK_NOT_AVAILABLE = '55P03';
const DEADLOCK = '40P01';

export interface PostgresOptions {
  /** Apply pending migrations on first use (db:migrate, tests); the app only checks. Default false. */
  migrate?: boolean;
  /** Connections in the pool. */
  poolSize?: number;
}

interface Shared {
  pool: pg.Pool;
  url: string;
  where: string;
  ready: Promise<void> | null;
  failedAt: number;
  failure: StoreOpenError | null;
  migrate: boolean;
}

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  readonly location: string;

  private constructor(
    private readonly shared: Shared,
    /** The transaction's connection, for a store made for one transaction. */
    private readonly tx: pg.PoolClient | null = null,
  ) {
    this.location = shared.where;
  }

  static open(url: string, options: PostgresOptions = {}): PostgresStore {
    const where = describeUrl(url);
    return new PostgresStore({ pool: openPool(url, options.poolSize), url, where, ready: null, failedAt: 0, failure: null, migrate: options.migrate ?? false });
  }

  /** The schema checked (or migrated) once; a failure is remembered for a second, then tried again. */
  private ready(): Promise<void> {
    const s = this.shared;
    if (s.ready) return s.ready;
    if (s.failure && Date.now() - s.failedAt < RETRY_AFTER_MS) return Promise.reject(s.failure);
    s.ready = (s.migrate ? migratePostgres(s.pool, s.where) : checkSchema(s.pool, s.where)).then(
      () => {
        s.failure = null;
      },
      (err: unknown) => {
        s.ready = null;
        s.failedAt = Date.now();
        s.failure = err instanceof StoreOpenError ? err : new StoreOpenError(`Cannot open the database: ${describePgError(err, s.where)}`);
        throw s.failure;
      },
    );
    return s.ready;
  }

  /** Where this store's statements go: the transaction's connection, the one the caller is inside, or the pool. */
  private async on(): Promise<Queryable> {
    if (this.tx) return this.tx;
    const current = within.getStore();
    if (current && current.shared === this.shared) return current.tx!;
    await this.ready();
    return this.shared.pool;
  }

  /** Runs `read` on where statements go, with the server's errors in words. */
  private async run<T>(read: (q: Queryable) => Promise<T>): Promise<T> {
    const q = await this.on();
    try {
      return await read(q);
    } catch (err) {
      throw translate(err, this.shared.where);
    }
  }

  /** A connection of the pool for work that needs one to itself (a snapshot, a cursor, a transaction). */
  private async connection(): Promise<pg.PoolClient> {
    await this.ready();
    return connect(this.shared.pool, this.shared.where);
  }

  /** Work of several statements that must hold together: inside the transaction there is one, else in one of its own. */
  private atomic<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    if (this.tx) return work(this.tx);
    const current = within.getStore();
    if (current && current.shared === this.shared) return work(current.tx!);
    return this.write((tx) => work((tx as PostgresStore).tx!), { waitMs: DEFAULT_WAIT_MS });
  }

  async write<T>(work: (tx: Store) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    if (this.tx) return work(this);
    const current = within.getStore();
    if (current && current.shared === this.shared) return work(current);
    const client = await this.connection();
    return inTransaction(client, this.shared.where, options.waitMs ?? 0, async () => {
      const tx = new PostgresStore(this.shared, client);
      return { commit: true, result: await within.run(tx, () => work(tx)) };
    });
  }

  readonly facts = {
    dataVersion: () => this.run(getDataVersion),
    read: () => this.inSnapshot(async (q) => {
      const mark = await factsMark(q);
      return { version: mark.version, facts: await loadFactColumns(q), mark };
    }),
    changesSince: (since: FactsMark, maxRows: number) =>
      this.inSnapshot(async (q) => {
        const mark = await factsMark(q);
        if (mark.generation !== since.generation || mark.lastBatch < since.lastBatch) return null;
        if ((await countChangesSince(q, since.lastBatch)) > maxRows) return null;
        return { version: mark.version, changes: await loadFactColumns(q, since.lastBatch), mark };
      }),
    mark: () => this.run(factsMark),
    // Several servers, and no file of the database beside them: each reads the facts from the server at its start.
    keepPath: () => null,
  };

  /** Runs `read` in one snapshot (REPEATABLE READ) on a connection of its own, or inside the transaction there is. */
  private async inSnapshot<T>(read: (q: Queryable) => Promise<T>): Promise<T> {
    if (this.tx || within.getStore()?.shared === this.shared) return this.run(read);
    const client = await this.connection();
    let failed = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await read(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw translate(err, this.shared.where);
    } finally {
      client.release(failed);
    }
  }

  readonly referrals = {
    count: () => this.run(countReferrals),
    page: (...args: Parameters<Store['referrals']['page']>) => this.run((q) => getReferralPage(q, ...args)),
    iterate: (...args: Parameters<Store['referrals']['iterate']>) => iterateReferrals(() => this.connection(), ...args),
    byRowIds: (ids: readonly number[], includeUrls: boolean) => this.run((q) => getReferralsByRowId(q, ids, includeUrls)),
  };

  readonly imports = {
    run: (batch: BatchRecord, work: (session: ImportSession, tx: Store) => Promise<BatchRecord | null>) => this.runImport(batch, work),
    record: (batch: BatchRecord) => this.run((q) => insertBatch(q, batch)),
    list: (limit: number) => this.run((q) => listBatches(q, limit)),
    get: (id: number) => this.run((q) => getBatch(q, id)),
    lastCommitted: () => this.run(lastCommittedBatch),
    storeErrors: (...args: Parameters<Store['imports']['storeErrors']>) => this.atomic((q) => storeImportErrors(q, ...args)),
    errors: (batchId: number, limit?: number) => this.run((q) => importErrorsOf(q, batchId, limit)),
    iterateErrors: (batchId: number) => iterateImportErrors(() => this.connection(), batchId),
  };

  /**
   * One import in one transaction: the import lock first (another server's
   * import is waited for), then the batch row (its id taken under the lock,
   * so committed batches are numbered in commit order: db/postgres/queries/facts.ts),
   * the rows, the batch's counts and the data version, committed together.
   */
  private async runImport(batch: BatchRecord, work: (session: ImportSession, tx: Store) => Promise<BatchRecord | null>) {
    if (this.tx || within.getStore()?.shared === this.shared) throw new Error('an import runs in a transaction of its own, not inside another');
    const client = await this.connection();
    return inTransaction(client, this.shared.where, IMPORT_WAIT_MS, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      await client.query(`SET LOCAL lock_timeout = ${DEFAULT_WAIT_MS}`);
      // The merge sorts and hashes the whole batch: in memory, not in temporary files (the default is 4 MB).
      await client.query(`SET LOCAL work_mem = '${IMPORT_WORK_MEM}'`);
      const tx = new PostgresStore(this.shared, client);
      const batchId = await insertBatch(client, batch);
      const session = openImportSession(client, batchId);
      let final: BatchRecord | null;
      try {
        final = await within.run(tx, () => work(session, tx));
      } finally {
        // Refused or failed with the COPY still open: it is cancelled first, or the rollback would wait behind it.
        await session.abandon();
      }
      if (final === null) return { commit: false, result: { batchId, committed: false } };
      await updateBatch(client, batchId, final);
      // Cached figures of every server are stale from this commit on.
      if (final.inserted + final.updated > 0) await bumpDataVersion(client);
      return { commit: true, result: { batchId, committed: true } };
    });
  }

  readonly reference = {
    upsert: (...args: Parameters<Store['reference']['upsert']>) => this.atomic((q) => upsertReferenceData(q, ...args)),
    campaigns: () => this.run(listCampaigns),
  };

  readonly users = {
    findByEmail: (email: string) => this.run((q) => users.findUserByEmail(q, email)),
    get: (id: number) => this.run((q) => users.getUser(q, id)),
    count: () => this.run(users.countUsers),
    list: (...args: Parameters<Store['users']['list']>) => this.run((q) => users.listUsers(q, ...args)),
    insert: (...args: Parameters<Store['users']['insert']>) => this.run((q) => users.insertUser(q, ...args)),
    disable: (...args: Parameters<Store['users']['disable']>) => this.atomic((q) => users.disableUser(q, ...args)),
    setPassword: (...args: Parameters<Store['users']['setPassword']>) => this.atomic((q) => users.setPassword(q, ...args)),
  };

  readonly sessions = {
    create: (...args: Parameters<Store['sessions']['create']>) => this.run((q) => users.createSession(q, ...args)),
    find: (tokenHash: string) => this.run((q) => users.findSession(q, tokenHash)),
    touch: (...args: Parameters<Store['sessions']['touch']>) => this.run((q) => users.touchSession(q, ...args)),
    end: (...args: Parameters<Store['sessions']['end']>) => this.run((q) => users.endSession(q, ...args)),
  };

  readonly tokens = {
    create: (...args: Parameters<Store['tokens']['create']>) => this.run((q) => users.createApiToken(q, ...args)),
    findLive: (tokenHash: string) => this.run((q) => users.findLiveToken(q, tokenHash)),
    touch: (...args: Parameters<Store['tokens']['touch']>) => this.run((q) => users.touchApiToken(q, ...args)),
    revoke: (...args: Parameters<Store['tokens']['revoke']>) => this.run((q) => users.revokeApiToken(q, ...args)),
    list: () => this.run(users.listApiTokens),
  };

  readonly signIns = {
    emailHashKey: () => this.run(signIns.emailHashKey),
    countAttempts: (...args: Parameters<Store['signIns']['countAttempts']>) => this.run((q) => signIns.countAttempts(q, ...args)),
    attemptAt: (...args: Parameters<Store['signIns']['attemptAt']>) => this.run((q) => signIns.attemptAt(q, ...args)),
    lastHeldAttemptAt: (emailKey: string) => this.run((q) => signIns.lastHeldAttemptAt(q, emailKey)),
    addAttempt: (...args: Parameters<Store['signIns']['addAttempt']>) => this.run((q) => signIns.addAttempt(q, ...args)),
    dropAttemptsBefore: (at: number) => this.run((q) => signIns.dropAttemptsBefore(q, at)),
    forgetAttempts: (...args: Parameters<Store['signIns']['forgetAttempts']>) => this.run((q) => signIns.forgetAttempts(q, ...args)),
    countRefusal: (...args: Parameters<Store['signIns']['countRefusal']>) => this.run((q) => signIns.countRefusal(q, ...args)),
    openRefusalWindow: (...args: Parameters<Store['signIns']['openRefusalWindow']>) => this.run((q) => signIns.openRefusalWindow(q, ...args)),
    closedRefusalWindows: (...args: Parameters<Store['signIns']['closedRefusalWindows']>) => this.run((q) => signIns.closedRefusalWindows(q, ...args)),
    dropRefusalWindow: (...args: Parameters<Store['signIns']['dropRefusalWindow']>) => this.run((q) => signIns.dropRefusalWindow(q, ...args)),
  };

  readonly audit = {
    append: (...args: Parameters<Store['audit']['append']>) => this.run((q) => appendAudit(q, ...args)),
    read: (...args: Parameters<Store['audit']['read']>) => this.run((q) => readAudit(q, ...args)),
  };

  readonly meta = {
    get: (key: string) => this.run((q) => getMeta(q, key)),
    set: (key: string, value: string) => this.run((q) => setMeta(q, key, value)),
  };

  async backup(target: string): Promise<BackupCheck> {
    await this.ready();
    return backupPostgres(this.shared.pool, this.shared.url, target);
  }

  async close(): Promise<void> {
    if (this.tx || this.shared.pool.ended) return;
    await this.shared.pool.end();
  }
}

/**
 * Runs `work` in a transaction on `client` (which it releases): committed
 * when it answers commit, else rolled back; a lock not had within `waitMs`
 * is StoreBusyError, a lost connection or refused statement StoreOpenError
 * in words, anything else passes through after the rollback.
 */
async function inTransaction<T>(client: pg.PoolClient, where: string, waitMs: number, work: () => Promise<{ commit: boolean; result: T }>): Promise<T> {
  let broken = false;
  try {
    await client.query('BEGIN');
    // 0 would mean "wait for ever" to PostgreSQL; a request's write tries (almost) once.
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(waitMs))}`);
    const { commit, result } = await work();
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw translate(err, where);
  } finally {
    client.release(broken);
  }
}

/** The server's errors that mean "busy" or "gone" as the store's errors; others unchanged. */
function translate(err: unknown, where: string): unknown {
  const code = (err as { code?: string }).code;
  if (code === LOCK_NOT_AVAILABLE || code === DEADLOCK) return new StoreBusyError();
  if (err instanceof StoreOpenError || err instanceof StoreBusyError) return err;
  const message = (err as Error).message ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08003', '08000'].includes(code ?? '') || /Connection terminated|connection is closed/i.test(message))
    return new StoreOpenError(`The connection to the database was lost: ${describePgError(err, where)}`);
  return err;
}
