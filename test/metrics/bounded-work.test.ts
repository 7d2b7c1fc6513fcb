// Issue 14, the parts of bounded work that small data can pin exactly: the
// calendar a filter may name, the ceiling on a series, caches bounded by
// bytes, and the group × month table built in one pass.
import { describe, expect, it } from 'vitest';
import { FilterError, latestDay, MAX_VALUES_PER_DIMENSION, parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getVolumeMatrix, getVolumeSeries, MAX_SERIES_ROWS } from '@/lib/metrics';
import { memo, memoSize } from '@/lib/metrics/fact-store';
import { METRICS_CACHE_BYTES } from '@/lib/metrics/cache-budget';
import { estimateBytes, ResultCache } from '@/lib/metrics/result-cache';
import { FIXTURE_CSV, memoryDb, factsOf } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';
import { writeTemp } from '../helpers/db';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const refused = (query: string): { param: string; message: string }[] => {
  try {
    parseFilters(new URLSearchParams(query), {}, NOW);
  } catch (err) {
    if (err instanceof FilterError) return err.issues;
    throw err;
  }
  return [];
};

describe('the calendar a filter may name', () => {
  it('is 2000-01-01 to tomorrow for from and as_of, to the end of next year for to, said in words', () => {
    expect(latestDay(NOW)).toBe('2026-12-02');
    expect(refused('from=2000-01-01&to=2026-12-02&as_of=2026-12-02T23:59:59Z')).toEqual([]);
    expect(refused('from=1999-12-31')).toEqual([{ param: 'from', message: '1999-12-31 must lie between 2000-01-01 and 2026-12-02 (tomorrow)' }]);
    expect(refused('from=2026-12-03')[0].param).toBe('from');
    // A year's report names its last day (the records behind a count of this year link to to=2026-12-31).
    expect(refused('from=2026-01-01&to=2026-12-31')).toEqual([]);
    expect(refused('to=2027-12-31')).toEqual([]);
    expect(refused('to=2028-01-01')).toEqual([{ param: 'to', message: '2028-01-01 must lie between 2000-01-01 and 2027-12-31 (the end of next year)' }]);
    expect(refused('from=0100-01-01&to=9999-12-31').map((i) => i.param)).toEqual(['from', 'to']);
    expect(refused('as_of=2026-12-03T00:00:00Z')[0]).toEqual({ param: 'as_of', message: '2026-12-03T00:00:00Z must lie between 2000-01-01T00:00:00Z and the end of 2026-12-02 (tomorrow)' });
    expect(refused('as_of=1999-12-31T23:59:59Z')[0].param).toBe('as_of');
    expect(refused('as_of=2000-01-01T00:00:00Z')).toEqual([]);
  });

  it(`takes at most ${MAX_VALUES_PER_DIMENSION} values of one dimension`, () => {
    const many = (n: number) => `platform=${Array.from({ length: n }, (_, k) => `p${k}`).join(',')}`;
    expect(refused(many(MAX_VALUES_PER_DIMENSION))).toEqual([]);
    expect(refused(many(MAX_VALUES_PER_DIMENSION + 1))).toEqual([{ param: 'platform', message: `names ${MAX_VALUES_PER_DIMENSION + 1} values; at most ${MAX_VALUES_PER_DIMENSION} may be given` }]);
  });
});

describe('a time series', () => {
  it(`is refused in words, naming the bucket, past ${MAX_SERIES_ROWS.toLocaleString('en')} rows`, async () => {
    // 300 platforms referred on one day: days since 2000 × 300 keys is far over the ceiling, months are not.
    const rows = Array.from({ length: 300 }, (_, k) => validRow({ referral_id: `S-${k}`, platform: `p${k}` }));
    const db = memoryDb();
    await importFile(db, writeTemp('many-platforms.csv', csvOf(rows)));
    const filters = parseFilters(new URLSearchParams('from=2000-01-01&to=2026-11-30&as_of=2026-11-30T00:00:00Z')).filters;
    let issue: { param: string; message: string } | undefined;
    try {
      getVolumeSeries(await factsOf(db), filters, 'day', 'platform');
    } catch (err) {
      issue = (err as FilterError).issues[0];
    }
    expect(issue).toEqual({ param: 'bucket', message: '9,831 days × 300 keys would be 2,949,300 rows; at most 250,000: choose a longer bucket or a shorter period' });
    // Exactly at the ceiling is given: 200 platforms × 1,250 days; one day more is refused.
    const some = `platform=${Array.from({ length: 200 }, (_, k) => `p${k}`).join(',')}`;
    const at = (from: string) => parseFilters(new URLSearchParams(`${some}&from=${from}&to=2026-11-30&as_of=2026-11-30T00:00:00Z`)).filters;
    expect(getVolumeSeries(await factsOf(db), at('2023-06-30'), 'day', 'platform').rows).toHaveLength(MAX_SERIES_ROWS);
    await expect((async () => getVolumeSeries(await factsOf(db), at('2023-06-29'), 'day', 'platform'))()).rejects.toThrow('1,251 days × 200 keys would be 250,200 rows; at most 250,000');
    const monthly = getVolumeSeries(await factsOf(db), filters, 'month', 'platform');
    expect(monthly.rows).toHaveLength(323 * 300);
    expect(monthly.rows.reduce((a, r) => a + r.count, 0)).toBe(300);
  });

  it('as a group × month table, counts every referral once, rows by total', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    const filters = parseFilters(new URLSearchParams('as_of=2026-03-01T00:00:00Z')).filters;
    const table = getVolumeMatrix(await factsOf(db), filters, 'month', 'group');
    const series = getVolumeSeries(await factsOf(db), filters, 'month', 'group');
    expect(table.columns.map((c) => c.key)).toEqual([...new Set(series.rows.map((r) => r.period))]);
    const total = series.rows.reduce((a, r) => a + r.count, 0);
    expect(table.rows.reduce((a, r) => a + r.total, 0)).toBe(total);
    expect(table.columns.reduce((a, c) => a + c.total, 0)).toBe(total);
    for (const r of table.rows) for (const [p, c] of table.columns.entries()) expect(r.counts[p]).toBe(series.rows.find((s) => s.key === r.key && s.period === c.key)!.count);
    expect(table.rows.map((r) => r.total)).toEqual([...table.rows.map((r) => r.total)].sort((a, b) => b - a));
  });
});

describe('caches bounded by bytes', () => {
  it('drop the least recently used past their budget and keep nothing over an eighth of it', () => {
    const cache = new ResultCache<string>(8000, (s) => s.length * 2);
    const text = (n: number) => 'x'.repeat(n);
    for (let k = 0; k < 10; k++) cache.get(`k${k}`, 1, () => text(400));
    expect(cache.size().bytes).toBeLessThanOrEqual(8000);
    expect(cache.size().entries).toBe(9);
    expect(cache.peek('k0', 1)).toBeUndefined();
    expect(cache.peek('k9', 1)).toBe(text(400));
    // 1,001 characters are 2,002 bytes: over an eighth of 8,000, so computed and given, never kept.
    let computed = 0;
    for (let k = 0; k < 2; k++) expect(cache.get('big', 1, () => (computed++, text(1001)))).toHaveLength(1001);
    expect(computed).toBe(2);
    // Another data version is a miss.
    expect(cache.peek('k9', 2)).toBeUndefined();
  });

  it('estimate the size of computed figures near their real size, from a sample of long arrays', () => {
    const rows = Array.from({ length: 10_000 }, (_, k) => ({ key: `key-${k}`, count: k, share: k / 10_000 }));
    const estimate = estimateBytes(rows);
    // About 100 bytes a row: a key of 9 characters, two numbers, the object.
    expect(estimate).toBeGreaterThan(10_000 * 60);
    expect(estimate).toBeLessThan(10_000 * 250);
    expect(estimateBytes(new Float64Array(1000))).toBe(64 + 8000);
  });

  it('keep the memo of computed figures within its budget, however many distinct questions are asked', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    const big = Array.from({ length: 100_000 }, (_, k) => ({ key: `k${k}`, n: k }));
    for (let k = 0; k < 200; k++) memo(await factsOf(db), 'test-large', [k], () => big);
    // Each answer is about 5 MB: 25 of them fill the budget, the rest push the oldest out.
    expect(memoSize(db).bytes).toBeLessThanOrEqual(METRICS_CACHE_BYTES);
    expect(memoSize(db).entries).toBeLessThan(40);
  });
});
