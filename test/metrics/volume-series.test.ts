// METRICS.md "Volumes" over time: the fixture's referrals per UTC day, ISO
// week and calendar month, every period of the range present (empty ones as
// 0), and per status at as_of; and by two dimensions at once. Counts read off
// the fixture file by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '@/db/sqlite/store';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getMatrix, getVolumeMatrix, getVolumeSeries } from '@/lib/metrics';
import { FIXTURE_CSV, memoryDb, writeTemp, factsOf } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

let db: SqliteStore;
beforeAll(async () => {
  db = memoryDb();
  await importFile(db, FIXTURE_CSV);
});
const filters = (query: string) => parseFilters(new URLSearchParams(query)).filters;
const counts = (rows: { period: string; count: number }[]) => rows.map((r) => [r.period, r.count]);

describe('a volume series', () => {
  it('over an open range runs from the day of the first referral to the day of the last, empty days as 0', async () => {
    const { rows } = getVolumeSeries(await factsOf(db), filters('as_of=2026-03-10T00:00:00Z'), 'day');
    const referred: Record<string, number> = { '01': 3, '05': 2, '10': 2, '11': 2, '12': 2, '15': 1, '20': 3, '25': 4, '26': 2, '27': 1, '28': 2 };
    expect(counts(rows)).toEqual(Array.from({ length: 28 }, (_, d) => [`2026-02-${String(d + 1).padStart(2, '0')}`, referred[String(d + 1).padStart(2, '0')] ?? 0]));
  });

  it('by ISO week: 1 February 2026 is the Sunday that ends week 5', async () => {
    const { rows } = getVolumeSeries(await factsOf(db), filters('as_of=2026-03-10T00:00:00Z'), 'week');
    expect(counts(rows)).toEqual([
      ['2026-W05', 3],
      ['2026-W06', 2],
      ['2026-W07', 7],
      ['2026-W08', 3],
      ['2026-W09', 9],
    ]);
  });

  it('over a given range shows each month of it up to as_of, empty or not', async () => {
    const { rows } = getVolumeSeries(await factsOf(db), filters('from=2026-01-01&to=2026-04-30&as_of=2026-03-10T00:00:00Z'), 'month');
    expect(counts(rows)).toEqual([
      ['2026-01', 0],
      ['2026-02', 24],
      ['2026-03', 0],
    ]);
  });

  it('over a range open at one end takes that end from the referrals and the other from the filter', async () => {
    // From 10 February, no end: to the day of the last referral (28 February), not to as_of.
    expect(counts(getVolumeSeries(await factsOf(db), filters('from=2026-02-10&as_of=2026-03-10T00:00:00Z'), 'week').rows)).toEqual([
      ['2026-W07', 7], // 9–15 February: 2 + 2 + 2 + 1
      ['2026-W08', 3], // 16–22 February: the 20th
      ['2026-W09', 9], // 23 February–1 March: 4 + 2 + 1 + 2
    ]);
    // Up to 10 February, no start: from the day of the first referral (1 February).
    expect(counts(getVolumeSeries(await factsOf(db), filters('to=2026-02-10&as_of=2026-03-10T00:00:00Z'), 'day').rows)).toEqual(
      Array.from({ length: 10 }, (_, d) => [`2026-02-${String(d + 1).padStart(2, '0')}`, ({ 1: 3, 5: 2, 10: 2 } as Record<number, number>)[d + 1] ?? 0]),
    );
  });

  it('with nothing selected over a given range shows each period of it as 0', async () => {
    expect(counts(getVolumeSeries(await factsOf(db), filters('from=2026-02-01&to=2026-02-21&as_of=2026-03-10T00:00:00Z&platform=nowhere'), 'week').rows)).toEqual([
      ['2026-W05', 0],
      ['2026-W06', 0],
      ['2026-W07', 0],
      ['2026-W08', 0],
    ]);
  });

  it('with nothing selected over an open range has no period at all', async () => {
    expect(getVolumeSeries(await factsOf(db), filters('as_of=2026-03-10T00:00:00Z&platform=nowhere'), 'month').rows).toEqual([]);
  });

  it('by status at as_of: the summary of the fixture, named in words', async () => {
    const { rows, by } = getVolumeSeries(await factsOf(db), filters('as_of=2026-03-01T00:00:00Z'), 'month', 'status');
    expect(by).toBe('status');
    expect(rows.map((r) => [r.period, r.key, r.name, r.count])).toEqual([
      ['2026-02', 'actioned', 'Removed or disabled', 14],
      ['2026-02', 'declined', 'Rejected', 2],
      ['2026-02', 'open', 'Still open', 7],
      ['2026-02', 'excluded', 'Already unavailable', 1],
    ]);
  });

  it('by a dimension shows only the keys present, and says by what', async () => {
    const series = getVolumeSeries(await factsOf(db), filters('as_of=2026-03-01T00:00:00Z&platform=alpha,gamma'), 'month', 'platform');
    expect(series.by).toBe('platform');
    expect(series.rows.map((r) => [r.period, r.key, r.count])).toEqual([
      ['2026-02', 'alpha', 8],
      ['2026-02', 'gamma', 7],
    ]);
    expect(getVolumeSeries(await factsOf(db), filters('as_of=2026-03-01T00:00:00Z'), 'month').by).toBeNull();
  });
});

describe('a volume matrix', () => {
  it('counts referrals per pair of keys, with row and column totals, platform × kind', async () => {
    // alpha: orders FX-001–004, referrals FX-005–008; beta: orders FX-015–017, referrals FX-009–014; gamma: 7 referrals.
    const m = getMatrix(await factsOf(db), filters('as_of=2026-03-01T00:00:00Z'), 'platform', 'kind');
    expect([m.rows_by, m.columns_by]).toEqual(['platform', 'kind']);
    expect(m.columns.map((c) => [c.key, c.name, c.total])).toEqual([
      ['referral', 'Referral', 17],
      ['removal_order', 'Removal order', 7],
    ]);
    expect(m.rows.map((r) => [r.key, r.total, r.counts])).toEqual([
      ['alpha', 8, [4, 4]],
      ['beta', 9, [6, 3]],
      ['gamma', 7, [7, 0]],
    ]);
  });

  it('per key and ISO week (the heat map): every week of every key, keys by total', async () => {
    // alpha: 10–12 February (6) in W07, the 20th in W08, the 28th in W09; beta: 3, 2, 1, 2, 1 over W05–W09; gamma: 25–27 February.
    const m = getVolumeMatrix(await factsOf(db), filters('as_of=2026-03-10T00:00:00Z'), 'week', 'platform');
    expect(m.columns.map((c) => [c.key, c.total])).toEqual([
      ['2026-W05', 3],
      ['2026-W06', 2],
      ['2026-W07', 7],
      ['2026-W08', 3],
      ['2026-W09', 9],
    ]);
    expect(m.rows.map((r) => [r.key, r.name, r.total, r.counts])).toEqual([
      ['beta', 'beta', 9, [3, 2, 1, 2, 1]],
      ['alpha', 'alpha', 8, [0, 0, 6, 1, 1]],
      ['gamma', 'gamma', 7, [0, 0, 0, 0, 7]],
    ]);
  });

  it('leaves out a referral without a key of one of its dimensions (no campaign)', async () => {
    const own = memoryDb();
    await importFile(
      own,
      writeTemp(
        'campaigns.csv',
        csvOf([
          validRow({ referral_id: 'M-1', platform: 'alpha', campaign: 'c1' }),
          validRow({ referral_id: 'M-2', platform: 'beta', campaign: 'c2' }),
          validRow({ referral_id: 'M-3', platform: 'beta', campaign: '' }),
        ]),
      ),
    );
    const m = getMatrix(await factsOf(own), filters('as_of=2026-03-01T00:00:00Z'), 'platform', 'campaign');
    expect(m.columns.map((c) => [c.key, c.total])).toEqual([
      ['c1', 1],
      ['c2', 1],
    ]);
    expect(m.rows.map((r) => [r.key, r.total, r.counts])).toEqual([
      ['alpha', 1, [1, 0]],
      ['beta', 1, [0, 1]],
    ]);
  });

  it('leaves out rows and columns with no referral under the filters', async () => {
    const m = getMatrix(await factsOf(db), filters('as_of=2026-03-01T00:00:00Z&kind=removal_order'), 'platform', 'kind');
    expect(m.columns.map((c) => c.key)).toEqual(['removal_order']);
    expect(m.rows.map((r) => [r.key, r.counts])).toEqual([
      ['alpha', [4]],
      ['beta', [3]],
    ]);
  });
});
