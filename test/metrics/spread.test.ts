// METRICS.md "Spread and exposure" on a set built by hand: content hashes
// seen on several platforms, in their order, and platforms new in a period.
import { describe, expect, it } from 'vitest';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getNewPlatforms, getSpread } from '@/lib/metrics';
import { memoryDb, writeTemp, factsOf } from '../helpers/db';
import { principalOf } from '../helpers/principals';
import { csvOf, validRow } from '../helpers/rows';

// hB: p3 1 Jan, p1 and p2 both 2 Jan (a tie: by code)   → 3 platforms, first
// hC: p2 2 Jan, p3 6 Jan                                → 2 platforms, from 2 Jan
// hA: p1 5, 3 and 4 Jan (its first is the earliest, neither the first nor the last recorded), p2 4 Jan
//     → 2 platforms, from 3 Jan, 4 referrals
// h0: p1 3 Jan, p4 7 Jan                                → 2 platforms, from 3 Jan: before hA by hash
//     (though recorded after it)
// hD: p4 twice                                          → one platform: not spread
// hE: p4 and p3 both 9 Jan, recorded p4 first; hF: p1 and p2 both 9 Jan, recorded in order
//     → both 2 platforms from 9 Jan: hE before hF by hash, each with its platforms by code
// p6: 20 Jan, then 4 Jan recorded last of all (its first referral is the later record).
// p5's only referral lies exactly at the end of 7 January (8 Jan 00:00).
const rows = [
  ['hB', 'p3', '2026-01-01T00:00:00Z'],
  ['hB', 'p1', '2026-01-02T00:00:00Z'],
  ['hB', 'p2', '2026-01-02T00:00:00Z'],
  ['hC', 'p2', '2026-01-02T06:00:00Z'],
  ['hC', 'p3', '2026-01-06T00:00:00Z'],
  ['hA', 'p1', '2026-01-05T00:00:00Z'],
  ['hA', 'p1', '2026-01-03T00:00:00Z'],
  ['hA', 'p1', '2026-01-04T00:00:00Z'],
  ['hA', 'p2', '2026-01-04T00:00:00Z'],
  ['h0', 'p4', '2026-01-07T00:00:00Z'],
  ['h0', 'p1', '2026-01-03T00:00:00Z'],
  ['hD', 'p4', '2026-01-07T12:00:00Z'],
  ['hD', 'p4', '2026-01-07T13:00:00Z'],
  ['', 'p5', '2026-01-08T00:00:00Z'],
  ['', 'p6', '2026-01-20T00:00:00Z'],
  ['hE', 'p4', '2026-01-09T00:00:00Z'],
  ['hE', 'p3', '2026-01-09T00:00:00Z'],
  ['hF', 'p1', '2026-01-09T00:00:00Z'],
  ['hF', 'p2', '2026-01-09T00:00:00Z'],
  ['', 'p6', '2026-01-04T00:00:00Z'],
].map(([hash, platform, at], k) => validRow({ referral_id: `S-${k}`, content_hash: hash, platform, url: `https://${platform}.example/${k}`, referred_at: at, outcome: 'pending', outcome_at: '' }));
const db = memoryDb();
await importFile(db, writeTemp('spread.csv', csvOf(rows)));
const filters = (query = '') => parseFilters(new URLSearchParams(`as_of=2026-02-01T00:00:00Z${query}`)).filters;

describe('cross-platform spread', () => {
  it('lists hashes on two or more platforms: most platforms first, then earliest first referral, then hash', async () => {
    const spread = getSpread(await factsOf(db), filters(), principalOf('analyst'));
    expect(spread.total).toBe(6);
    expect(spread.rows.map((r) => [r.content_hash, r.platform_count, r.referrals])).toEqual([
      ['hB', 3, 3],
      ['hC', 2, 2],
      ['h0', 2, 2],
      ['hA', 2, 4],
      ['hE', 2, 2],
      ['hF', 2, 2],
    ]);
    expect(spread.rows[3].platforms.map((p) => [p.key, p.first_referred_at, p.referrals])).toEqual([
      ['p1', '2026-01-03T00:00:00Z', 3],
      ['p2', '2026-01-04T00:00:00Z', 1],
    ]);
    expect(spread.rows.slice(4).map((r) => r.platforms.map((p) => p.key))).toEqual([
      ['p3', 'p4'],
      ['p1', 'p2'],
    ]);
    expect(spread.rows[0].platforms.map((p) => [p.key, p.first_referred_on])).toEqual([
      ['p3', '2026-01-01'],
      ['p1', '2026-01-02'],
      ['p2', '2026-01-02'],
    ]);
  });

  it('keeps the count of all while listing the first few; a viewer sees days, never the hash or the instant', async () => {
    const two = getSpread(await factsOf(db), filters(), principalOf('viewer'), 2);
    expect(two.total).toBe(6);
    expect(two.rows.map((r) => [r.content_hash, r.platform_count])).toEqual([
      [null, 3],
      [null, 2],
    ]);
    expect(two.rows[0].platforms.map((p) => [p.first_referred_on, p.first_referred_at])).toEqual([
      ['2026-01-01', null],
      ['2026-01-02', null],
      ['2026-01-02', null],
    ]);
  });
});

describe('new platforms', () => {
  it('are those whose first referral falls inside the period: from its first instant to the end of its last day', async () => {
    const keys = async (query: string) => getNewPlatforms(await factsOf(db), filters(query)).rows.map((r) => [r.key, r.first_referred_at]);
    // p3 first on 1 Jan (before), p1 and p2 on 2 Jan 00:00 (the first instant), p6 on 4 Jan (recorded last: in
    // order of time, not of the file), p4 on 7 Jan, p5 on 8 Jan 00:00 (after).
    expect(await keys('&from=2026-01-02&to=2026-01-07')).toEqual([
      ['p1', '2026-01-02T00:00:00Z'],
      ['p2', '2026-01-02T00:00:00Z'],
      ['p6', '2026-01-04T00:00:00Z'],
      ['p4', '2026-01-07T00:00:00Z'],
    ]);
    // p1's later referrals (3 and 5 Jan) do not make it new then.
    expect(await keys('&from=2026-01-03&to=2026-01-31')).toEqual([
      ['p6', '2026-01-04T00:00:00Z'],
      ['p4', '2026-01-07T00:00:00Z'],
      ['p5', '2026-01-08T00:00:00Z'],
    ]);
  });
});
