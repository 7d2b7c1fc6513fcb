// The fact columns of a database, read once per data version: a committed
// import (in this process or another) bumps the version and the next call
// reads them again.
import type { Db } from '@/db/sqlite/client';
import { getDataVersion, loadFactColumns } from '@/db/sqlite/queries/facts';
import { withClockStart, type FactColumns } from './facts';
import { METRICS_CACHE_BYTES } from './cache-budget';
import { estimateBytes, ResultCache } from './result-cache';

// On globalThis: Next.js loads this module once for start-up (instrumentation)
// and again for the routes; both must share one store.
const shared = globalThis as unknown as {
  takedownFacts?: WeakMap<Db, { version: number; facts: FactColumns }>;
  takedownMemos?: WeakMap<Db, { version: number; cache: ResultCache<unknown> }>;
};
const store = (shared.takedownFacts ??= new WeakMap());

export function getFacts(db: Db): { version: number; facts: FactColumns } {
  const version = getDataVersion(db);
  const cached = store.get(db);
  if (cached && cached.version === version) return cached;
  const fresh = { version, facts: withClockStart(loadFactColumns(db)) };
  store.set(db, fresh);
  return fresh;
}

/** Forgets the columns and every figure computed from them (benchmarks measure a cold start with it). */
export function dropFacts(db: Db): void {
  store.delete(db);
  dropMemos(db);
}

shared.takedownMemos ??= new WeakMap();
const memos = () => shared.takedownMemos!;

/** Forgets the memoised figures but keeps the columns (benchmarks time the computation itself). */
export function dropMemos(db: Db): void {
  memos().delete(db);
}

/**
 * Forgets every memoised figure of every database. Mutation testing does so
 * before each test (vitest.mutation.setup.ts), so that each test computes
 * what it checks and is credited with the code it runs.
 */
export function dropAllMemos(): void {
  shared.takedownMemos = new WeakMap();
}

/**
 * A computed figure, kept per (name, arguments) until the data version
 * changes: pages and API answers ask the same questions often, and the
 * first import after that makes every entry stale at once. Bounded by size
 * (METRICS_CACHE_BYTES), not by count. Callers must not mutate what they get.
 */
export function memo<T>(db: Db, name: string, args: unknown[], compute: (facts: FactColumns) => T): T {
  const { version, facts } = getFacts(db);
  let store = memos().get(db);
  // A new data version makes every entry stale at once: let them go together.
  if (!store || store.version !== version) memos().set(db, (store = { version, cache: new ResultCache<unknown>(METRICS_CACHE_BYTES, (v) => estimateBytes(v)) }));
  return store.cache.get(`${name}:${JSON.stringify(args)}`, version, () => compute(facts)) as T;
}

/** Entries and bytes the memo of `db` holds (tests). */
export function memoSize(db: Db): { entries: number; bytes: number } {
  return memos().get(db)?.cache.size() ?? { entries: 0, bytes: 0 };
}
