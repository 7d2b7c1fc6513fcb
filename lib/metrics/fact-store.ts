// The fact columns of a store, per data version. A committed import (in
// this process or another) moves the version on; the facts then follow it:
// - only the rows the import inserted or changed are read and applied to
//   the columns held (fact-refresh.ts), and the time orders are carried
//   over; a request waits for that a short while (factsWaitMs), and is
//   answered from the version held if it takes longer;
// - when that is impossible or dearer than reading everything (a restore,
//   or an import that changed a large share of the rows), everything is
//   read in the background while requests go on being answered from the
//   version held, without waiting;
// - before the new version is served, the figures last asked of the old one
//   are computed again over it (warm), so that the switch does not make the
//   next requests wait for them either.
// Each answer says which version and import it is of, and whether a newer
// one is on its way.
// What a page or an answer computes comes from one snapshot, so every
// figure on it is of the same data version.
import type { FactsMark, Store } from '@/db/store';
import { getSettings } from '@/lib/settings';
import { METRICS_CACHE_BYTES } from './cache-budget';
import { applyChanges } from './fact-refresh';
import { withClockStart, type FactColumns } from './facts';
import { estimateBytes, ResultCache } from './result-cache';
import { readKeptFacts, UnusableFacts, writeKeptFacts } from './fact-file';
import { adoptOrders, carryTimeOrders, savedOrders } from './time-orders';

/** The facts at one data version, and the figures computed from them so far. */
export interface FactSnapshot {
  readonly version: number;
  readonly facts: FactColumns;
  /** Where the read stands: the last import batch the facts include. */
  readonly mark: FactsMark;
  /** True while a newer data version is being read (these figures are of the version before it). */
  readonly stale?: boolean;
}

type Compute = (facts: FactColumns, data: FactSnapshot) => unknown;
/** A figure asked of a snapshot: how to compute it, and how long that took last time (ms). */
interface Asked {
  compute: Compute;
  ms: number;
}

interface Held {
  snapshot: FactSnapshot;
  cache: ResultCache<unknown>;
  memoGeneration: number;
  /** The figures asked of this snapshot, least recently asked first (what a new version computes before it is served). */
  asked: Map<string, Asked>;
}

interface Holder {
  held?: Held;
  /** The version last written to the store's keep file, when, and the write under way. */
  keptVersion?: number;
  keptAt?: number;
  keeping?: Promise<void>;
  /** The figures of the version served being computed ahead of requests (warm). */
  warming?: Promise<void>;
  /** The refresh under way, and whether requests may wait for it (an incremental one) or not (a full read). */
  refresh?: { waitFor: Promise<boolean>; done: Promise<Held> };
}

/** More rows changed than this share of all is read whole (a full read costs little more then). */
const INCREMENTAL_SHARE = 1 / 4;
/** The keep file is written again after an incremental refresh once it is this old. */
const KEEP_EVERY_MS = 10 * 60_000;
/** The figures recomputed over a new version before it is served: the most recently asked, at most this many... */
const WARM_FIGURES = 24;
/** ...and for at most this long (what is left is computed when asked)... */
const WARM_MS = 3000;
/** ...of which before the new version is served only this many, and only as long as they took this long in all (ms): the switch waits for few. */
const WARM_BEFORE_SERVED = 4;
const WARM_BEFORE_SERVED_MS = 500;

/**
 * How long a request waits for an incremental refresh before it is answered
 * from the version held (FACTS_WAIT_MS, lib/settings.ts; 50 ms): small
 * imports are then seen at once, and a large data set never holds a request up long.
 */
export function factsWaitMs(): number {
  return getSettings().FACTS_WAIT_MS;
}

// On globalThis: Next.js loads this module once for start-up (instrumentation)
// and again for the routes; both must share one store.
const shared = globalThis as unknown as {
  takedownFacts?: WeakMap<Store, Holder>;
  takedownMemoGeneration?: number;
  takedownSnapshots?: WeakMap<FactSnapshot, Held>;
  takedownRefreshes?: { incremental: number; full: number; kept: number };
};
const holders = (shared.takedownFacts ??= new WeakMap());
const bySnapshot = (shared.takedownSnapshots ??= new WeakMap());
shared.takedownMemoGeneration ??= 0;
/** How the facts were brought up to date in this process (tests and benchmarks). */
export const refreshCounts = (shared.takedownRefreshes ??= { incremental: 0, full: 0, kept: 0 });

function newCache(): ResultCache<unknown> {
  return new ResultCache<unknown>(METRICS_CACHE_BYTES, (v) => estimateBytes(v));
}

function makeHeld(version: number, facts: FactColumns, mark: FactsMark): Held {
  const made: Held = { snapshot: { version, facts, mark }, cache: newCache(), memoGeneration: shared.takedownMemoGeneration!, asked: new Map() };
  bySnapshot.set(made.snapshot, made);
  return made;
}

async function fullRead(store: Store): Promise<Held> {
  const { version, facts, mark } = await store.facts.read();
  refreshCounts.full++;
  return makeHeld(version, withClockStart(facts), mark);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The facts of `from` with the changes since its mark applied (and its time
 * orders carried over), a step per turn of the event loop so that requests
 * are answered meanwhile; null when the changes cannot be applied (another
 * generation, too many, an id out of place): read everything then.
 * `onIncremental` is told as soon as it is known that they can be read.
 */
async function incrementalFrom(store: Store, from: Held, onIncremental: () => void = () => {}): Promise<Held | null> {
  const prev = from.snapshot;
  const read = await store.facts.changesSince(prev.mark, Math.max(1000, Math.floor(prev.facts.size * INCREMENTAL_SHARE)));
  if (!read) return null;
  onIncremental();
  // Nothing changed (the facts were kept at this batch, or an import changed no row): the same columns and orders.
  if (read.changes.size === 0) return makeHeld(read.version, prev.facts, read.mark);
  await nextTurn();
  const applied = await applyChanges(prev.facts, read.changes, nextTurn);
  if (!applied) return null;
  await nextTurn();
  await carryTimeOrders(prev.facts, applied.facts, applied.changed, nextTurn);
  refreshCounts.incremental++;
  return makeHeld(read.version, applied.facts, read.mark);
}

/**
 * Computes over `next` the figures most recently asked of `prev`, one per
 * turn of the event loop (requests are answered in between). The first
 * WARM_BEFORE_SERVED before `next` is served (from `prev` meanwhile); the
 * rest once it is, in the background, unless a request got there first.
 */
async function warm(prev: Held, next: Held, serve: () => void): Promise<void> {
  const started = performance.now();
  const recent = [...prev.asked].slice(-WARM_FIGURES).reverse();
  let served = false;
  let before = 0;
  for (const [k, [key, asked]] of recent.entries()) {
    if (!served && (k === WARM_BEFORE_SERVED || before + asked.ms > WARM_BEFORE_SERVED_MS)) {
      serve();
      served = true;
    }
    before += asked.ms;
    if (performance.now() - started > WARM_MS) break;
    await nextTurn();
    if (next.memoGeneration !== shared.takedownMemoGeneration) break;
    figureOf(next, key, asked.compute);
  }
  if (!served) serve();
}

/** Brings the facts held up to date: the changes if they can be applied, else everything (and then requests do not wait). */
function startRefresh(store: Store, holder: Holder, from: Held): NonNullable<Holder['refresh']> {
  let decide!: (incremental: boolean) => void;
  const waitFor = new Promise<boolean>((resolve) => (decide = resolve));
  const done = (async () => {
    try {
      let next = await incrementalFrom(store, from, () => decide(true));
      const whole = !next;
      if (!next) {
        decide(false);
        next = await fullRead(store);
      }
      const made = next;
      let serve!: () => void;
      const served = new Promise<void>((resolve) => (serve = resolve));
      const serveNext = () => {
        holder.held = made;
        serve();
      };
      if (made.memoGeneration === from.memoGeneration) holder.warming = warm(from, made, serveNext).finally(() => (holder.warming = undefined));
      else serveNext();
      await served;
      keep(store, holder, made, whole);
      return made;
    } finally {
      decide(false);
      holder.refresh = undefined;
    }
  })();
  return { waitFor, done };
}

/**
 * The first facts of this process: those kept in the file of an earlier
 * start brought up to date, if there is a usable one; else everything read
 * from the database.
 */
async function firstRead(store: Store, holder: Holder): Promise<Held> {
  const kept = await keptFacts(store);
  const next = kept && (await incrementalFrom(store, kept.held));
  if (kept && next) {
    // The file is as fresh as it was written: kept again only once it is KEEP_EVERY_MS old.
    holder.keptVersion = kept.held.snapshot.version;
    holder.keptAt = kept.writtenAt;
    keep(store, holder, next, false);
    return next;
  }
  const read = await fullRead(store);
  keep(store, holder, read, true);
  return read;
}

/** The store's keep file, unless FACTS_KEEP=0 says to keep none (every start then reads everything). */
function keepFile(store: Store): string | null {
  return getSettings().FACTS_KEEP ? store.facts.keepPath() : null;
}

async function keptFacts(store: Store): Promise<{ held: Held; writtenAt: number } | null> {
  const file = keepFile(store);
  if (!file) return null;
  try {
    const kept = await readKeptFacts(file, await store.facts.mark());
    if (!kept) return null;
    const made = makeHeld(kept.version, withClockStart(kept.facts), kept.mark);
    if (kept.orders && !adoptOrders(made.snapshot.facts, kept.orders)) console.warn(`The time orders kept in ${file} do not fit its facts: sorting them again`);
    refreshCounts.kept++;
    return { held: made, writtenAt: kept.writtenAt };
  } catch (err) {
    const why = err instanceof UnusableFacts ? err.message : `it could not be read (${err instanceof Error ? err.message : String(err)})`;
    console.warn(`Not using the facts kept in ${file}: ${why}. Reading them from the database.`);
    return null;
  }
}

/**
 * Keeps the facts now held in the store's file (in the background, one
 * write at a time): after a full read, and after incremental refreshes once
 * the file is KEEP_EVERY_MS old, so that a restart reads few changes.
 */
function keep(store: Store, holder: Holder, held: Held, whole: boolean): void {
  const file = keepFile(store);
  if (!file || holder.keeping || holder.keptVersion === held.snapshot.version) return;
  if (!whole && holder.keptAt !== undefined && Date.now() - holder.keptAt < KEEP_EVERY_MS) return;
  const { facts, mark, version } = held.snapshot;
  // The orders go with the facts (the first figure sorts them anyway; a restart then need not).
  holder.keeping = nextTurn()
    .then(() => writeKeptFacts(file, { version, facts, mark, orders: savedOrders(facts) }))
    .then(() => {
      holder.keptVersion = version;
      holder.keptAt = Date.now();
    })
    .catch((err: NodeJS.ErrnoException) => {
      // (a database folder removed meanwhile, as tests do, is no news)
      if (err.code !== 'ENOENT') console.warn(`Could not keep the facts in ${file}: ${err.message}`);
    })
    .finally(() => (holder.keeping = undefined));
}

/**
 * The facts of the store's current data version: read if this process holds
 * none; brought up to date if it holds an older one (waiting at most
 * factsWaitMs for an incremental refresh, never for a full read: the
 * version held is answered meanwhile, marked stale).
 */
export async function currentFacts(store: Store): Promise<FactSnapshot> {
  let holder = holders.get(store);
  if (!holder) holders.set(store, (holder = {}));
  const version = await store.facts.dataVersion();
  const current = holder.held;
  if (current && current.snapshot.version === version) return current.snapshot;
  if (!current) {
    // Nothing older to answer with: every request waits for the one read.
    holder.refresh ??= {
      waitFor: Promise.resolve(true),
      done: firstRead(store, holder)
        .then((first) => (holder.held = first))
        .finally(() => (holder.refresh = undefined)),
    };
    return (await holder.refresh.done).snapshot;
  }
  holder.refresh ??= startRefresh(store, holder, current);
  const refresh = holder.refresh;
  // The wait is counted from the request: reading the changes is part of it.
  const next = await within(
    refresh.waitFor.then((incremental) => (incremental ? refresh.done : undefined)),
    factsWaitMs(),
  );
  return next ? next.snapshot : staleView(current);
}

/** What `promise` gives if it settles within `ms`, else undefined (a rejection is thrown). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The snapshot held, marked as of an older version than the database's (the same figures and memo). */
function staleView(held: Held): FactSnapshot {
  const view: FactSnapshot = { ...held.snapshot, stale: true };
  bySnapshot.set(view, held);
  return view;
}

/** Waits for a refresh under way, if any, for the figures warmed and the facts kept (tests: everything a refresh does). */
export async function refreshed(store: Store): Promise<void> {
  const holder = holders.get(store);
  await holder?.refresh?.done;
  await holder?.warming;
  await holder?.keeping;
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
export function memo<T>(data: FactSnapshot, name: string, args: unknown[], compute: (facts: FactColumns, data: FactSnapshot) => T): T {
  const of = bySnapshot.get(data);
  if (!of) return compute(data.facts, data);
  if (of.memoGeneration !== shared.takedownMemoGeneration) {
    of.cache = newCache();
    of.asked.clear();
    of.memoGeneration = shared.takedownMemoGeneration!;
  }
  return figureOf(of, `${name}:${JSON.stringify(args)}`, compute) as T;
}

/** The figure `key` of the snapshot held: memoised, or computed (and timed, for warm). */
function figureOf(of: Held, key: string, compute: Compute): unknown {
  // Most recently asked last; bounded, as only the last few are warmed.
  const asked = of.asked.get(key) ?? { compute, ms: 0 };
  of.asked.delete(key);
  of.asked.set(key, asked);
  if (of.asked.size > WARM_FIGURES) of.asked.delete(of.asked.keys().next().value!);
  return of.cache.get(key, of.snapshot.version, () => {
    const started = performance.now();
    const value = compute(of.snapshot.facts, of.snapshot);
    asked.ms = performance.now() - started;
    return value;
  });
}

/** Entries and bytes the memo of the store's current snapshot holds (tests). */
export function memoSize(store: Store): { entries: number; bytes: number } {
  return holders.get(store)?.held?.cache.size() ?? { entries: 0, bytes: 0 };
}
