// The fact columns of a database, read once per data version: a committed
// import (in this process or another) bumps the version and the next call
// reads them again.
import type { Db } from '@/db/client';
import { getDataVersion, loadFactColumns, type FactColumns } from '@/db/queries/facts';

// On globalThis: Next.js loads this module once for start-up (instrumentation)
// and again for the routes; both must share one store.
const shared = globalThis as unknown as {
  takedownFacts?: WeakMap<Db, { version: number; facts: FactColumns }>;
  takedownMemos?: WeakMap<Db, { version: number; entries: Map<string, unknown> }>;
};
const store = (shared.takedownFacts ??= new WeakMap());

export function getFacts(db: Db): { version: number; facts: FactColumns } {
  const version = getDataVersion(db);
  const cached = store.get(db);
  if (cached && cached.version === version) return cached;
  const fresh = { version, facts: loadFactColumns(db) };
  store.set(db, fresh);
  return fresh;
}

/** Forgets the columns and every figure computed from them (benchmarks measure a cold start with it). */
export function dropFacts(db: Db): void {
  store.delete(db);
  dropMemos(db);
}

const MEMO_ENTRIES = 300;
const memos = (shared.takedownMemos ??= new WeakMap());

/** Forgets the memoised figures but keeps the columns (benchmarks time the computation itself). */
export function dropMemos(db: Db): void {
  memos.delete(db);
}

/**
 * A computed figure, kept per (name, arguments) until the data version
 * changes: pages and API answers ask the same questions often, and the
 * first import after that makes every entry stale at once. Callers must not
 * mutate what they get.
 */
export function memo<T>(db: Db, name: string, args: unknown[], compute: (facts: FactColumns) => T): T {
  const { version, facts } = getFacts(db);
  let store = memos.get(db);
  if (!store || store.version !== version) memos.set(db, (store = { version, entries: new Map() }));
  const key = `${name}:${JSON.stringify(args)}`;
  if (store.entries.has(key)) {
    const value = store.entries.get(key) as T;
    store.entries.delete(key);
    store.entries.set(key, value);
    return value;
  }
  const value = compute(facts);
  store.entries.set(key, value);
  while (store.entries.size > MEMO_ENTRIES) store.entries.delete(store.entries.keys().next().value!);
  return value;
}
