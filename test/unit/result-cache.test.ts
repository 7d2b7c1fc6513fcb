// The byte-bounded caches of computed figures (lib/metrics/result-cache.ts,
// fact-store.ts): their sizes as documented, their bounds exactly, and the
// memo's life of one data version.
import { describe, expect, it } from 'vitest';
import { importFile } from '@/lib/import/import';
import { API_CACHE_BYTES, METRICS_CACHE_BYTES } from '@/lib/metrics/cache-budget';
import { dropFacts, dropMemos, memo, memoSize } from '@/lib/metrics/fact-store';
import { estimateBytes, ResultCache } from '@/lib/metrics/result-cache';
import { FIXTURE_CSV, memoryDb, writeTemp, factsOf } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

describe('estimateBytes', () => {
  it('counts strings at two bytes a character, numbers at eight, objects and arrays by their parts', () => {
    expect(estimateBytes(null)).toBe(8);
    expect(estimateBytes(undefined)).toBe(8);
    expect(estimateBytes('abc')).toBe(16 + 6);
    expect(estimateBytes(3.5)).toBe(8);
    expect(estimateBytes(true)).toBe(8);
    expect(estimateBytes(() => 0)).toBe(16);
    expect(estimateBytes(new Uint8Array(10))).toBe(64 + 10);
    // An object: 32, and per property 16 + the key's characters twice + the value.
    expect(estimateBytes({ ab: 1, c: 'xy' })).toBe(32 + (16 + 4 + 8) + (16 + 2 + 20));
    // An array: 32 + 8 a slot + its values.
    expect(estimateBytes([1, 2, 3])).toBe(32 + 24 + 24);
    expect(estimateBytes([])).toBe(32);
  });

  it('measures a long array on 32 values spread over it, scaled to its length', () => {
    // 64 strings, every other one long: the sample takes the even places, all of 'x' (18 bytes each).
    const values = Array.from({ length: 64 }, (_, k) => (k % 2 === 0 ? 'x' : 'y'.repeat(100)));
    expect(estimateBytes(values)).toBe(32 + 8 * 64 + 18 * 64);
  });

  it('stops below twelve levels of nesting', () => {
    let deep: unknown = 1;
    for (let k = 0; k < 14; k++) deep = [deep];
    // 13 arrays of one slot (32 + 8 + the rest) and then 64 for what lies deeper.
    expect(estimateBytes(deep)).toBe(13 * 40 + 64);
  });
});

describe('ResultCache', () => {
  // Values are sized by their length; each key is 2 characters (4 bytes).
  const cache = () => new ResultCache<string>(800, (s) => s.length);

  it('keeps an entry of exactly an eighth of its budget, not one byte more', () => {
    const c = cache();
    c.put('k1', 1, 'x'.repeat(96)); // 96 + 4 = 100 = 800 / 8
    c.put('k2', 1, 'x'.repeat(97));
    expect([c.peek('k1', 1)?.length, c.peek('k2', 1)]).toEqual([96, undefined]);
    expect(c.size()).toEqual({ entries: 1, bytes: 100 });
  });

  it('holds exactly its budget, and lets the least recently used go past it', () => {
    const c = cache();
    for (let k = 0; k < 8; k++) c.put(`k${k}`, 1, 'x'.repeat(96));
    expect(c.size()).toEqual({ entries: 8, bytes: 800 });
    c.peek('k0', 1); // now the most recently used
    c.put('k8', 1, 'x');
    expect(c.peek('k1', 1)).toBeUndefined();
    expect(c.peek('k0', 1)).toBeDefined();
    expect(c.size()).toEqual({ entries: 8, bytes: 705 });
  });

  it('replaces an entry put again under its key, counting its bytes once', () => {
    const c = cache();
    c.put('k1', 1, 'x'.repeat(50));
    c.put('k1', 2, 'x'.repeat(20));
    expect(c.size()).toEqual({ entries: 1, bytes: 24 });
    expect(c.peek('k1', 1)).toBeUndefined();
  });
});

describe('the budgets', () => {
  it('are 128 MiB for computed figures and 64 MiB for API answers (README, Security)', () => {
    expect(METRICS_CACHE_BYTES).toBe(134_217_728);
    expect(API_CACHE_BYTES).toBe(67_108_864);
  });
});

describe('the memo of computed figures', () => {
  it('computes a figure once per data version, and lets the entries of an earlier version go together', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    let computed = 0;
    const figure = async () => memo(await factsOf(db), 'test-figure', [1], () => ({ n: ++computed }));
    const first = await figure();
    expect(await figure()).toBe(first);
    memo(await factsOf(db), 'test-other', [2], () => 'other');
    expect(memoSize(db).entries).toBe(2);
    // A committed import: a new data version, with a memo of its own; the figures asked of the version
    // before are computed again over it before it is served (so the switch makes nobody wait for them).
    await importFile(db, writeTemp('more.csv', csvOf([validRow({ referral_id: 'M-1' })])));
    const next = await factsOf(db);
    expect(memoSize(db).entries).toBe(2);
    expect(computed).toBe(2);
    expect(await figure()).toEqual({ n: 2 });
    expect(computed).toBe(2);
    expect(memo(next, 'test-third', [3], () => 'third')).toBe('third');
    expect(memoSize(db).entries).toBe(3);
  });

  it('forgets figures (dropMemos) or figures and columns (dropFacts) when told', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    const columns = (await factsOf(db)).facts;
    memo(await factsOf(db), 'test-figure', [], () => 1);
    dropMemos(db);
    expect(memoSize(db).entries).toBe(0);
    expect((await factsOf(db)).facts).toBe(columns);
    memo(await factsOf(db), 'test-figure', [], () => 1);
    dropFacts(db);
    expect(memoSize(db).entries).toBe(0);
    expect((await factsOf(db)).facts).not.toBe(columns);
  });
});
