// METRICS.md "Worked check": the shared fixture's independently computed
// figures, reproduced by lib/metrics (rates and intervals to 1e-9, times to 1e-6 h).
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getBreakdown, getSummary, getVolumes } from '@/lib/metrics';
import { FIXTURE_CSV, FIXTURE_EXPECTED, memoryDb } from '../helpers/db';
import { expectFigures } from '../helpers/figures';

const expected = JSON.parse(fs.readFileSync(FIXTURE_EXPECTED, 'utf8'));
const filters = parseFilters(new URLSearchParams({ as_of: expected.as_of })).filters;
let db: Db;

beforeAll(() => {
  db = memoryDb();
  importFile(db, FIXTURE_CSV);
});

describe('the fixture through lib/metrics', () => {
  it('summary', () => {
    expectFigures(getSummary(db, filters), expected.summary, 'summary');
  });

  it.each(['platform', 'kind', 'group'] as const)('breakdown by %s', (by) => {
    const result = getBreakdown(db, filters, by);
    expect(result.rows.map((r) => r.key)).toEqual(expected.breakdown[by].map((r: { key: string }) => r.key));
    result.rows.forEach((row, i) => expectFigures(row, expected.breakdown[by][i], `${by}=${row.key}`));
  });

  it.each(Object.keys(expected.volumes))('volumes by %s', (by) => {
    const result = getVolumes(db, filters, by as never);
    expect(result.rows.map(({ key, count }) => ({ key, count }))).toEqual(expected.volumes[by]);
  });
});
