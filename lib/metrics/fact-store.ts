// The fact columns of a store, per data version. A committed import (in
// this process or another) moves the version on; the facts then follow it:
// - only the rows the import inserted or changed are read and applied to
//   the columns held (fact-refresh.ts), and the time orders are carried
//   over; a request waits for that, as it is short;
// - when that is impossible or dearer than reading everything (a restore,
//   or an import that changed a large share of the rows), everything is
//   read in the background while requests go on being answered from the
//   version held (each answer says which version and import it is of);
//   the new version is served once it is ready.
// What a page or an answer computes comes from one snapshot, so every
// figure on it is of the same data version.
import type { FactsMark, Store } from '@/db/store';
import { METRICS_CACHE_BYTES } from './cache-budget';
import { applyChanges } from './fact-refresh';
import { withClockStart, type FactColumns } from './facts';
import { estimateBytes, ResultCache } from './result-cache';
import { carryTimeOrders } from './time-orders';

/** The facts at one data version, and the figures computed from them so far. */
export interface FactSnapshot {
  readonly version: number;
  readonly facts: FactColumns;
  /** Where the read stands: the last import batch the facts include. */
  readonly mark: FactsMark;
  /** True while a newer data version is being read (these figures are of the version before it). */
  readonly stale?: boolean;
}

interface Held {
  snapshot: FactSnapshot;
  cache: ResultCache<unknown>;
  memoGeneration: number;
}

interface Holder {
  held?: Held;
  /** The refresh under way, and whether requests wait for it (an incremental one) or not (a full read). */
  refresh?: { waitFor: Promise<boolean>; done: Promise<Held> };
}

/** More rows changed than this share of all is read whole (a full read costs little more then). */
const INCREMENTAL_SHARE = 1 / 4;

// On globalThis: Next.js loads this module once for start-up (instrumentation)
// and again for the routes; both must share one store.
const shared = globalThis as unknown as {
  takedownFacts?: WeakMap<Store, Holder>;
  takedownMemoGeneration?: number;
  takedownSnapshots?: WeakMap<FactSnapshot, Held>;
  takedownRefreshes?: { incremental: number; full: number };
};
const holders = (shared.takedownFacts ??= new WeakMap());
const bySnapshot = (shared.takedownSnapshots ??= new WeakMap());
shared.takedownMemoGeneration ??= 0;
/** How the facts were brought up to date in this process (tests and benchmarks). */
export const refreshCounts = (shared.takedownRefreshes ??= { incremental: 0, full: 0 });

function newCache(): ResultCache<unknown> {
  return new ResultCache<unknown>(METRICS_CACHE_BYTES, (v) => estimateBytes(v));
}

function hold(holder: Holder, version: number, facts: FactColumns, mark: FactsMark): Held {
  const held: Held = { snapshot: { version, facts, mark }, cache: newCache(), memoGeneration: shared.takedownMemoGeneration! };
  bySnapshot.set(held.snapshot, held);
  holder.held = held;
  return held;
}

async function fullRead(store: Store, holder: Holder): Promise<Held> {
  const { version, facts, mark } = await store.facts.read();
  refreshCounts.full++;
  return hold(holder, version, withClockStart(facts), mark);
}

/** Brings the facts held up to date: the changes if they can be applied, else everything (and then requests do not wait). */
function startRefresh(store: Store, holder: Holder, from: Held): NonNullable<Holder['refresh']> {
  let decide!: (incremental: boolean) => void;
  const waitFor = new Promise<boolean>((resolve) => (decide = resolve));
  const done = (async () => {
    const prev = from.snapshot;
    try {
      const read = await store.facts.changesSince(prev.mark, Math.max(1000, Math.floor(prev.facts.size * INCREMENTAL_SHARE)));
      const applied = read && applyChanges(prev.facts, read.changes);
      if (read && applied) {
        decide(true);
        carryTimeOrders(prev.facts, applied.facts, applied.changed);
        refreshCounts.incremental++;
        return hold(holder, read.version, applied.facts, read.mark);
      }
      decide(false);
      return await fullRead(store, holder);
    } finally {
      decide(false);
      holder.refresh = undefined;
    }
  })();
  return { waitFor, done };
}

/**
 * The facts of the store's current data version: read if this process holds
 * none; brought up to date if it holds an older one (waiting only for an
 * incremental refresh; during a full read, the version held is answered, marked stale).
 */
export async function currentFacts(store: Store): Promise<FactSnapshot> {
  let holder = holders.get(store);
  if (!holder) holders.set(store, (holder = {}));
  const version = await store.facts.dataVersion();
  const held = holder.held;
  if (held && held.snapshot.version === version) return held.snapshot;
  if (!held) {
    // Nothing older to answer with: every request waits for the one read.
    holder.refresh ??= { waitFor: Promise.resolve(true), done: fullRead(store, holder).finally(() => (holder.refresh = undefined)) };
    return (await holder.refresh.done).snapshot;
  }
  holder.refresh ??= startRefresh(store, holder, held);
  const refresh = holder.refresh;
  if (await refresh.waitFor) return (await refresh.done).snapshot;
  return staleView(held);
}

/** The snapshot held, marked as of an older version than the database's (the same figures and memo). */
function staleView(held: Held): FactSnapshot {
  const view: FactSnapshot = { ...held.snapshot, stale: true };
  bySnapshot.set(view, held);
  return view;
}

/** Waits for a refresh under way, if any (benchmarks and tests: when the new version is served). */
export async function refreshed(store: Store): Promise<void> {
  await holders.get(store)?.refresh?.done;
}

/** Forgets the columns and every figure computed from them (benchmarks measure a cold start with it). */
export function dropFacts(store: Store): void {
  holders.delete(store);
}

/** Forgets the memoised figures but keeps the columns (benchmarks time the computation itself). */
export function dropMemos(store: Store): void {
  const held = holders.get(store)?.held;
  if (held) held.cache = newCache();
}

/**
 * Forgets every memoised figure of every store. Mutation testing does so
 * before each test (vitest.mutation.setup.ts), so that each test computes
 * what it checks and is credited with the code it runs.
 */
export function dropAllMemos(): void {
  shared.takedownMemoGeneration!++;
}

/**
 * A computed figure, kept per (name, arguments) for the snapshot's data
 * version: pages and API answers ask the same questions often, and the
 * first import after that makes every entry stale at once (they go with
 * the snapshot). Bounded by size (METRICS_CACHE_BYTES), not by count.
 * Callers must not mutate what they get.
 */
export function memo<T>(data: FactSnapshot, name: string, args: unknown[], compute: (facts: FactColumns) => T): T {
  const held = bySnapshot.get(data);
  if (!held) return compute(data.facts);
  if (held.memoGeneration !== shared.takedownMemoGeneration) {
    held.cache = newCache();
    held.memoGeneration = shared.takedownMemoGeneration!;
  }
  return held.cache.get(`${name}:${JSON.stringify(args)}`, data.version, () => compute(data.facts)) as T;
}

/** Entries and bytes the memo of the store's current snapshot holds (tests). */
export function memoSize(store: Store): { entries: number; bytes: number } {
  return holders.get(store)?.held?.cache.size() ?? { entries: 0, bytes: 0 };
}
