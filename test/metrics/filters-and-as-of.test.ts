import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import { parseFilters, type Filters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getBreakdown, getBreakdownChanges, getSummary } from '@/lib/metrics';
import { FIXTURE_CSV, FIXTURE_EXPECTED, memoryDb, tempDir, factsOf } from '../helpers/db';
import { expectFigures } from '../helpers/figures';
import { csvOf, validRow } from '../helpers/rows';

const expected = JSON.parse(fs.readFileSync(FIXTURE_EXPECTED, 'utf8'));
let db: SqliteStore;
const f = (query: Record<string, string>): Filters => parseFilters(new URLSearchParams({ as_of: expected.as_of, ...query })).filters;

beforeAll(async () => {
  db = memoryDb();
  await importFile(db, FIXTURE_CSV);
});

describe('a filter on each dimension selects exactly its referrals', () => {
  // Expected totals are the fixture's own volume counts (computed independently).
  const volume = (by: string, key: string) => expected.volumes[by].find((v: { key: string }) => v.key === key).count;
  it.each([
    ['platform', 'beta', volume('platform', 'beta')],
    ['group', 'aq', volume('group', 'aq')],
    ['language', 'fr', volume('language', 'fr')],
    ['content_type', 'document', volume('content_type', 'document')],
    ['unit', 'pl', volume('unit', 'pl')],
    ['campaign', 'rad-feb', volume('campaign', 'rad-feb')],
    ['kind', 'removal_order', volume('kind', 'removal_order')],
    ['ideology', 'unattributed', 1],
    ['platform_type', 'other', 24],
    ['platform_type', 'video', 0],
    ['language', 'ar,tr', volume('language', 'ar') + volume('language', 'tr')],
  ])('%s=%s', async (dimension, value, total) => {
    expect(getSummary(await factsOf(db), f({ [dimension]: value })).total).toBe(total);
  });

  it('a filtered summary equals the matching breakdown row', async () => {
    for (const { key, ...row } of expected.breakdown.platform) expectFigures(getSummary(await factsOf(db), f({ platform: key })), row, `platform=${key}`);
    for (const { key, ...row } of expected.breakdown.group) expectFigures(getSummary(await factsOf(db), f({ group: key })), row, `group=${key}`);
  });

  it('filters combine with AND and dates are inclusive UTC days', async () => {
    expect(getSummary(await factsOf(db), f({ platform: 'gamma', language: 'tr' })).total).toBe(2);
    // 25 Feb: FX-018, 019, 022, 023 on gamma.
    expect(getSummary(await factsOf(db), f({ from: '2026-02-25', to: '2026-02-25' })).total).toBe(4);
    expect(getBreakdown(await factsOf(db), f({ from: '2026-02-25', to: '2026-02-25' }), 'platform').rows.map((r) => r.key)).toEqual(['gamma']);
  });
});

describe('as_of', () => {
  it('before a removal turns it back into an open item', async () => {
    // FX-001 and FX-002 (alpha, orders referred 08:00, received 08:10 and 08:05) were removed at 08:40 and 09:35.
    const at = async (asOf: string) => getSummary(await factsOf(db), parseFilters(new URLSearchParams({ as_of: asOf, platform: 'alpha', to: '2026-02-10' })).filters);
    expect(await at('2026-02-10T08:30:00Z')).toMatchObject({ total: 2, actioned: 0, open: 2 });
    expect(await at('2026-02-10T08:40:00Z')).toMatchObject({ total: 2, actioned: 1, open: 1 });
    expect(await at('2026-02-10T09:35:00Z')).toMatchObject({ total: 2, actioned: 2, open: 0 });
    // Before the referrals were sent they do not exist.
    expect(await at('2026-02-10T07:59:00Z')).toMatchObject({ total: 0, removal_rate: null });
  });

  it('leaves acknowledgements recorded after it out', async () => {
    // FX-015 was acknowledged at 02:00 on 20 Feb, FX-016 at 00:30.
    const s = getSummary(await factsOf(db), parseFilters(new URLSearchParams({ as_of: '2026-02-20T01:00:00Z', platform: 'beta', kind: 'removal_order' })).filters);
    expect(s.time_to_acknowledge).toEqual({ n: 1, median: 0.5, p90: 0.5 });
  });
});

describe('cached figures follow the data', () => {
  it('a committed import in another process is seen by the next request', async () => {
    const dbPath = path.join(tempDir(), 'version.db');
    const fileDb = SqliteStore.open(dbPath);
    await importFile(fileDb, FIXTURE_CSV);
    const filters = f({});
    expect(getSummary(await factsOf(fileDb), filters).total).toBe(24);
    const extra = path.join(tempDir(), 'extra.csv');
    fs.writeFileSync(extra, csvOf([validRow({ referral_id: 'NEW-1', referred_at: '2026-02-14T00:00:00Z', outcome_at: '2026-02-14T01:00:00Z' })]));
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'import.ts'), extra], {
      env: { ...process.env, DATABASE_PATH: dbPath },
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    expect(getSummary(await factsOf(fileDb), filters).total).toBe(25);
  });
});

describe('changes per provider against the previous period', () => {
  it('compares each provider with itself over the period of equal length just before', async () => {
    const result = getBreakdownChanges(await factsOf(db), f({ from: '2026-02-15', to: '2026-02-28' }), 'platform')!;
    expect(result.previous_period).toEqual({ from: '2026-02-01', to: '2026-02-14' });
    const rate = (key: string) => result.rows.find((r) => r.key === key)!.changes.find((c) => c.metric === 'removal_rate')!;
    // 15-28 Feb: alpha 0 of 1 (FX-008 unavailable, FX-007 pending); 1-14 Feb: 5 of 6 (FX-006 rejected).
    expect(rate('alpha').absolute).toBeCloseTo(0 - 5 / 6, 12);
    // beta: 2 of 4 (FX-014 removed only on 5 March) against 3 of 5.
    expect(rate('beta').absolute).toBeCloseTo(0.5 - 0.6, 12);
    // gamma had no referral before: no change to speak of.
    expect(rate('gamma')).toMatchObject({ current: 4 / 7, previous: null, absolute: null });
    expect(getBreakdownChanges(await factsOf(db), f({}), 'platform')).toBeNull();
  });
});
