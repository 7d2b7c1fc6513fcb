// Write transactions on SQLite without stalling the event loop.
// better-sqlite3 is synchronous: a BEGIN that waited inside SQLite for the
// lock of a long import (another process) would stall every request of this
// process for the whole busy timeout. So BEGIN IMMEDIATE is tried without a
// busy timeout and, while the database is busy, tried again a little later
// (asynchronously) until the caller's wait is over. Within this process the
// writing connection takes one transaction at a time, in turn.
import { StoreBusyError } from '../store';
import type { Db } from './client';

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT') return true;
  // An in-memory database (tests) has one connection: busy while a statement is being iterated.
  return err instanceof TypeError && /connection is busy/.test(err.message);
}

/** One holder at a time, in the order they asked. */
export class Turns {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** BEGIN IMMEDIATE (the write lock up front, so a writer never fails half-way on a lock upgrade) within `waitMs`. */
async function begin(db: Db, waitMs: number): Promise<void> {
  const sqlite = db.$client;
  const until = Date.now() + waitMs;
  let pause = 20;
  for (;;) {
    let before: number | null = null;
    try {
      before = sqlite.pragma('busy_timeout', { simple: true }) as number;
      sqlite.pragma('busy_timeout = 0');
      sqlite.exec('BEGIN IMMEDIATE');
      return;
    } catch (err) {
      if (!isBusy(err)) throw err;
    } finally {
      if (before !== null) sqlite.pragma(`busy_timeout = ${before}`);
    }
    const left = until - Date.now();
    if (left <= 0) throw new StoreBusyError();
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 500);
  }
}

/**
 * Runs `work` inside a write transaction on `db`: committed when it answers
 * commit, rolled back when it answers otherwise or throws.
 */
export async function transaction<T>(db: Db, waitMs: number, work: () => Promise<{ commit: boolean; result: T }>): Promise<T> {
  await begin(db, waitMs);
  const sqlite = db.$client;
  let outcome: { commit: boolean; result: T };
  try {
    outcome = await work();
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  }
  if (!outcome.commit) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    return outcome.result;
  }
  try {
    sqlite.exec('COMMIT');
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  }
  return outcome.result;
}
