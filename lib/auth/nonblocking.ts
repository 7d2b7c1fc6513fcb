// Writes made while serving requests. better-sqlite3 is synchronous: a
// write that waited for the lock of a long import (another process) would
// stall every request of this process for the whole busy timeout. These
// writes never wait: they try once without a busy timeout and, if the
// database is busy, try again a little later without blocking.
//
// They go through a connection of their own: the shared reading connection
// may be in the middle of streaming an export (an open statement), during
// which SQLite refuses writes on that connection.
import { openDatabase, write, type Db } from '@/db/sqlite/client';

export class DatabaseBusyError extends Error {
  constructor() {
    super('The database is busy with an import just now; please try again in a minute.');
    this.name = 'DatabaseBusyError';
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT') return true;
  // An in-memory database (tests) has one connection: busy while a statement is being iterated.
  return err instanceof TypeError && /connection is busy/.test(err.message);
}

const writers = new WeakMap<Db, Db>();

/** The connection request-time writes use for the database `db` reads from (the same one for an in-memory database). */
export function writerFor(db: Db): Db {
  if (db.$client.memory) return db;
  let writer = writers.get(db);
  if (!writer || !writer.$client.open) writers.set(db, (writer = openDatabase(db.$client.name, { migrate: false })));
  return writer;
}

/** Runs `work` on the writing connection in a write transaction if the lock is free right now; undefined if it is not. */
export function tryWrite<T>(db: Db, work: (writer: Db) => T): { value: T } | undefined {
  const writer = writerFor(db);
  const sqlite = writer.$client;
  let before: number | null = null;
  try {
    before = sqlite.pragma('busy_timeout', { simple: true }) as number;
    sqlite.pragma('busy_timeout = 0');
    return { value: write(writer, () => work(writer)) };
  } catch (err) {
    if (isBusy(err)) return undefined;
    throw err;
  } finally {
    if (before !== null) sqlite.pragma(`busy_timeout = ${before}`);
  }
}

/** Runs `work` in a write transaction as soon as the lock is free, within `waitMs`; DatabaseBusyError after that. */
export async function writeSoon<T>(db: Db, work: (writer: Db) => T, waitMs = 20_000): Promise<T> {
  const until = Date.now() + waitMs;
  let pause = 20;
  for (;;) {
    const done = tryWrite(db, work);
    if (done) return done.value;
    if (Date.now() >= until) throw new DatabaseBusyError();
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 500);
  }
}
