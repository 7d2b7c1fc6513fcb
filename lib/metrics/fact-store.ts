// The fact columns of a database, read once per data version: a committed
// import (in this process or another) bumps the version and the next call
// reads them again.
import type { Db } from '@/db/client';
import { getDataVersion, loadFactColumns, type FactColumns } from '@/db/queries/facts';

const store = new WeakMap<Db, { version: number; facts: FactColumns }>();

export function getFacts(db: Db): { version: number; facts: FactColumns } {
  const version = getDataVersion(db);
  const cached = store.get(db);
  if (cached && cached.version === version) return cached;
  const fresh = { version, facts: loadFactColumns(db) };
  store.set(db, fresh);
  return fresh;
}

/** Forgets the columns (benchmarks measure a cold start with it). */
export function dropFacts(db: Db): void {
  store.delete(db);
}
