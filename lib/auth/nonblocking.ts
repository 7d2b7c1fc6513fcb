// Writes made while serving requests. better-sqlite3 is synchronous: a
// write that waited for the lock of a long import (another process) would
// stall every request of this process for the whole busy timeout. These
// writes never wait: they try once without a busy timeout and, if the
// database is busy, try again a little later without blocking.
import { write, type Db } from '@/db/client';

export class DatabaseBusyError extends Error {
  constructor() {
    super('The database is busy with an import just now; please try again in a minute.');
    this.name = 'DatabaseBusyError';
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** Runs `work` in a write transaction if the lock is free right now; undefined if it is not. */
export function tryWrite<T>(db: Db, work: () => T): { value: T } | undefined {
  const sqlite = db.$client;
  const before = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma('busy_timeout = 0');
  try {
    return { value: write(db, work) };
  } catch (err) {
    if (isBusy(err)) return undefined;
    throw err;
  } finally {
    sqlite.pragma(`busy_timeout = ${before}`);
  }
}

/** Runs `work` in a write transaction as soon as the lock is free, within `waitMs`; DatabaseBusyError after that. */
export async function writeSoon<T>(db: Db, work: () => T, waitMs = 20_000): Promise<T> {
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
