// The Store on SQLite (better-sqlite3): reads on one connection, writes on
// a connection of their own (the reading connection may be in the middle of
// streaming an export, during which SQLite refuses writes on it), one write
// transaction at a time per process (writer.ts). Every method runs
// synchronously inside and answers a settled promise.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { StoredFacts } from '../facts';
import type { BatchRecord } from '../rows';
import type { BackupCheck, FactsMark, ImportSession, Store, WriteOptions } from '../store';
import { backupDatabase } from './backup';
import { openDatabase, type Db, type OpenOptions } from './client';
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
import { transaction, Turns } from './writer';

/** How long an import waits for the write lock of another writer (the command line waits; requests never run imports). */
const IMPORT_WAIT_MS = 10_000;
/** How long a write made on the store itself (outside `write`) waits for the lock. */
const DEFAULT_WAIT_MS = 10_000;

/** The transaction the running code is inside, if any: a write asked for within it joins it instead of waiting for its own turn (which would never come). */
const within = new AsyncLocalStorage<SqliteStore>();

/** The rows of a statement, one at a time, as an async iterator; a consumer that stops early closes the statement (the connection is free again). */
function asAsync<T>(rows: IterableIterator<T>): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: () => Promise.resolve(rows.next()),
    return: (value?: unknown) => {
      rows.return?.();
      return Promise.resolve({ done: true, value: value as T });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** Runs `read` in one snapshot (a read transaction), unless a transaction is open already. */
async function inSnapshot<T>(db: Db, read: () => Promise<T>): Promise<T> {
  const sqlite = db.$client;
  if (sqlite.inTransaction) return read();
  sqlite.exec('BEGIN');
  try {
    return await read();
  } finally {
    sqlite.exec('COMMIT');
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function readChanges(db: Db, since: FactsMark, maxRows: number): Promise<{ version: number; changes: StoredFacts; mark: FactsMark } | null> {
  return inSnapshot(db, async () => {
    const mark = factsMark(db);
    if (mark.generation !== since.generation || mark.lastBatch < since.lastBatch) return null;
    if (countChangesSince(db, since.lastBatch) > maxRows) return null;
    return { version: mark.version, changes: await loadFactColumns(db, since.lastBatch), mark };
  });
}

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly location: string;
  private writerDb: Db | null = null;
  readonly turns: Turns;

  /**
   * `db` serves reads; a store made for a transaction (`inside`) reads and
   * writes on the writing connection, inside the transaction it was made for.
   */
  constructor(
    readonly db: Db,
    private readonly inside: { writer: Db } | null = null,
    turns?: Turns,
  ) {
    this.location = db.$client.name;
    this.turns = turns ?? new Turns();
  }

  /** Opens (and by default migrates) the SQLite file at `file`; ':memory:' for tests. */
  static open(file: string, options: OpenOptions = {}): SqliteStore {
    return new SqliteStore(openDatabase(file, options));
  }

  /** The connection reads go to: the writer's inside a transaction. */
  private get reader(): Db {
    return this.inside?.writer ?? this.db;
  }

  /** The connection writes go to (SQLite-only tools and tests: e.g. a page limit that simulates a full disk). */
  writeConnection(): Db {
    return this.writer();
  }

  private writer(): Db {
    if (this.inside) return this.inside.writer;
    // An in-memory database has one connection: a second would be another, empty database.
    if (this.db.$client.memory) return this.db;
    if (!this.writerDb || !this.writerDb.$client.open) this.writerDb = openDatabase(this.db.$client.name, { migrate: false });
    return this.writerDb;
  }

  /** Runs `work` on the writing connection: directly inside a transaction, else in one of its own. */
  private writing<T>(work: (db: Db) => T): Promise<T> {
    if (this.inside) return Promise.resolve(work(this.inside.writer));
    const current = within.getStore();
    if (current && current.turns === this.turns) return Promise.resolve(work(current.reader));
    return this.write((tx) => Promise.resolve(work((tx as SqliteStore).reader)), { waitMs: DEFAULT_WAIT_MS });
  }

  write<T>(work: (tx: Store) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    if (this.inside) return work(this);
    const current = within.getStore();
    if (current && current.turns === this.turns) return work(current);
    return this.turns.run(async () => {
      const writer = this.writer();
      const tx = new SqliteStore(this.db, { writer }, this.turns);
      return transaction(writer, options.waitMs ?? 0, () => within.run(tx, async () => ({ commit: true, result: await work(tx) })));
    });
  }

  readonly facts = {
    dataVersion: () => Promise.resolve(getDataVersion(this.reader)),
    read: () => this.readAllFacts(),
    changesSince: (mark: FactsMark, maxRows: number) => readChanges(this.reader, mark, maxRows),
    mark: () => inSnapshot(this.reader, () => Promise.resolve(factsMark(this.reader))),
    keepPath: () => (this.db.$client.memory ? null : `${this.db.$client.name}.facts`),
  };

  /**
   * Every fact column in one snapshot. A file is read on a connection of its
   * own, pausing every so many rows, so that a long read (millions of rows)
   * never holds up the requests this process serves meanwhile.
   */
  private async readAllFacts(): Promise<{ version: number; facts: StoredFacts; mark: FactsMark }> {
    const own = this.inside || this.db.$client.memory ? null : openDatabase(this.db.$client.name, { migrate: false, readonly: true });
    const db = own ?? this.reader;
    try {
      return await inSnapshot(db, async () => {
        const mark = factsMark(db);
        return { version: mark.version, facts: await loadFactColumns(db, null, own ? turn : undefined), mark };
      });
    } finally {
      own?.$client.close();
    }
  }

  readonly referrals = {
    count: () => Promise.resolve(countReferrals(this.reader)),
    page: (...args: Parameters<Store['referrals']['page']>) => Promise.resolve(getReferralPage(this.reader, ...args)),
    iterate: (...args: Parameters<Store['referrals']['iterate']>) => asAsync(iterateReferrals(this.reader, ...args)),
    byRowIds: (ids: readonly number[], includeUrls: boolean) => Promise.resolve(getReferralsByRowId(this.reader, ids, includeUrls)),
  };

  readonly imports = {
    run: (batch: BatchRecord, work: (session: ImportSession, tx: Store) => Promise<BatchRecord | null>) => this.runImport(batch, work),
    record: (batch: BatchRecord) => this.writing((db) => insertBatch(db, batch)),
    list: (limit: number) => Promise.resolve(listBatches(this.reader, limit)),
    get: (id: number) => Promise.resolve(getBatch(this.reader, id)),
    lastCommitted: () => Promise.resolve(lastCommittedBatch(this.reader)),
    storeErrors: (...args: Parameters<Store['imports']['storeErrors']>) => this.writing((db) => storeImportErrors(db, ...args)),
    errors: (batchId: number, limit?: number) => Promise.resolve(importErrorsOf(this.reader, batchId, limit)),
    iterateErrors: (batchId: number) => asAsync(iterateImportErrors(this.reader, batchId)),
  };

  private async runImport(batch: BatchRecord, work: (session: ImportSession, tx: Store) => Promise<BatchRecord | null>) {
    if (this.inside) throw new Error('an import runs in a transaction of its own, not inside another');
    const outcome = await this.turns.run(async () => {
      const writer = this.writer();
      const tx = new SqliteStore(this.db, { writer }, this.turns);
      return transaction(writer, IMPORT_WAIT_MS, () => within.run(tx, async () => {
        const batchId = insertBatch(writer, batch);
        const final = await work(openImportSession(writer, batchId), tx);
        if (final === null) return { commit: false, result: { batchId, committed: false } };
        updateBatch(writer, batchId, final);
        // Cached figures of every process are stale from this commit on.
        if (final.inserted + final.updated > 0) bumpDataVersion(writer);
        return { commit: true, result: { batchId, committed: true } };
      }));
    });
    if (outcome.committed) this.checkpoint();
    return outcome;
  }

  /**
   * After a batch, copy the WAL back into the database and truncate it, so
   * that it stays bounded under continuous reading (the automatic checkpoint
   * only copies what no reader needs and never shrinks the file). Readers in
   * other processes are waited for up to the busy timeout; if they outlast
   * it, the next batch tries again.
   */
  private checkpoint(): void {
    const writer = this.writer();
    if (writer.$client.memory) return;
    writer.$client.pragma('wal_checkpoint(TRUNCATE)');
  }

  readonly reference = {
    upsert: (...args: Parameters<Store['reference']['upsert']>) => this.writing((db) => upsertReferenceData(db, ...args)),
    campaigns: () => Promise.resolve(listCampaigns(this.reader)),
  };

  readonly users = {
    findByEmail: (email: string) => Promise.resolve(users.findUserByEmail(this.reader, email)),
    get: (id: number) => Promise.resolve(users.getUser(this.reader, id)),
    count: () => Promise.resolve(users.countUsers(this.reader)),
    list: (...args: Parameters<Store['users']['list']>) => Promise.resolve(users.listUsers(this.reader, ...args)),
    insert: (...args: Parameters<Store['users']['insert']>) => this.writing((db) => users.insertUser(db, ...args)),
    disable: (...args: Parameters<Store['users']['disable']>) => this.writing((db) => users.disableUser(db, ...args)),
    setPassword: (...args: Parameters<Store['users']['setPassword']>) => this.writing((db) => users.setPassword(db, ...args)),
  };

  readonly sessions = {
    create: (...args: Parameters<Store['sessions']['create']>) => this.writing((db) => users.createSession(db, ...args)),
    find: (tokenHash: string) => Promise.resolve(users.findSession(this.reader, tokenHash)),
    touch: (...args: Parameters<Store['sessions']['touch']>) => this.writing((db) => users.touchSession(db, ...args)),
    end: (...args: Parameters<Store['sessions']['end']>) => this.writing((db) => users.endSession(db, ...args)),
  };

  readonly tokens = {
    create: (...args: Parameters<Store['tokens']['create']>) => this.writing((db) => users.createApiToken(db, ...args)),
    findLive: (tokenHash: string) => Promise.resolve(users.findLiveToken(this.reader, tokenHash)),
    touch: (...args: Parameters<Store['tokens']['touch']>) => this.writing((db) => users.touchApiToken(db, ...args)),
    revoke: (...args: Parameters<Store['tokens']['revoke']>) => this.writing((db) => users.revokeApiToken(db, ...args)),
    list: () => Promise.resolve(users.listApiTokens(this.reader)),
  };

  readonly signIns = {
    emailHashKey: () => Promise.resolve(signIns.emailHashKey(this.reader)),
    countAttempts: (...args: Parameters<Store['signIns']['countAttempts']>) => Promise.resolve(signIns.countAttempts(this.reader, ...args)),
    attemptAt: (...args: Parameters<Store['signIns']['attemptAt']>) => Promise.resolve(signIns.attemptAt(this.reader, ...args)),
    lastHeldAttemptAt: (emailKey: string) => Promise.resolve(signIns.lastHeldAttemptAt(this.reader, emailKey)),
    addAttempt: (...args: Parameters<Store['signIns']['addAttempt']>) => this.writing((db) => signIns.addAttempt(db, ...args)),
    dropAttemptsBefore: (at: number) => this.writing((db) => signIns.dropAttemptsBefore(db, at)),
    forgetAttempts: (...args: Parameters<Store['signIns']['forgetAttempts']>) => this.writing((db) => signIns.forgetAttempts(db, ...args)),
    countRefusal: (...args: Parameters<Store['signIns']['countRefusal']>) => this.writing((db) => signIns.countRefusal(db, ...args)),
    openRefusalWindow: (...args: Parameters<Store['signIns']['openRefusalWindow']>) => this.writing((db) => signIns.openRefusalWindow(db, ...args)),
    closedRefusalWindows: (...args: Parameters<Store['signIns']['closedRefusalWindows']>) => Promise.resolve(signIns.closedRefusalWindows(this.reader, ...args)),
    dropRefusalWindow: (...args: Parameters<Store['signIns']['dropRefusalWindow']>) => this.writing((db) => signIns.dropRefusalWindow(db, ...args)),
  };

  readonly audit = {
    append: (...args: Parameters<Store['audit']['append']>) => this.writing((db) => appendAudit(db, ...args)),
    read: (...args: Parameters<Store['audit']['read']>) => Promise.resolve(readAudit(this.reader, ...args)),
  };

  readonly meta = {
    get: (key: string) => Promise.resolve(getMeta(this.reader, key)),
    set: (key: string, value: string) => this.writing((db) => setMeta(db, key, value)),
  };

  backup(target: string): Promise<BackupCheck> {
    return backupDatabase(this.db, target);
  }

  close(): Promise<void> {
    this.writerDb?.$client.close();
    if (this.db.$client.open) this.db.$client.close();
    return Promise.resolve();
  }
}
