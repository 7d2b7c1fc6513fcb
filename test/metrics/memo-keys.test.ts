// Every memoised figure keeps apart the questions that differ (issue 23, from
// the survivors of a mutation run: dropping an argument from a memo key went
// unnoticed). Each function is asked two or more different questions in turn
// on one database; each answer must equal the one computed with nothing
// memoised, and the answers must differ (or the test could not fail).
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFilters, type Filters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import * as metrics from '@/lib/metrics';
import { dropMemos, type FactSnapshot } from '@/lib/metrics/fact-store';
import { DEFAULT_FAILURE_SETTINGS } from '@/lib/metrics/persistent-failure';
import { FIXTURE_CSV, memoryDb, factsOf } from '../helpers/db';
import { principalOf } from '../helpers/principals';

const NOW = Date.parse('2026-03-05T00:00:00Z');
const f = (query: string): Filters => parseFilters(new URLSearchParams(`as_of=2026-03-01T00:00:00Z${query}`), {}, NOW).filters;
const A = f('');
const B = f('&platform=alpha');
const EARLIER = parseFilters(new URLSearchParams('as_of=2026-02-26T00:00:00Z'), {}, NOW).filters;
const analyst = principalOf('analyst');

const QUESTIONS: Record<string, ((data: FactSnapshot) => unknown)[]> = {
  getSummary: [(data) => metrics.getSummary(data, A), (data) => metrics.getSummary(data, B), (data) => metrics.getSummary(data, A, { kmPoints: 2 })],
  getBreakdown: [(data) => metrics.getBreakdown(data, A, 'platform'), (data) => metrics.getBreakdown(data, B, 'platform'), (data) => metrics.getBreakdown(data, A, 'language'), (data) => metrics.getBreakdown(data, A, 'platform', { kmPoints: 2 })],
  getVolumes: [(data) => metrics.getVolumes(data, A, 'platform'), (data) => metrics.getVolumes(data, B, 'platform'), (data) => metrics.getVolumes(data, A, 'language')],
  getVolumeSeries: [(data) => metrics.getVolumeSeries(data, A, 'day'), (data) => metrics.getVolumeSeries(data, B, 'day'), (data) => metrics.getVolumeSeries(data, A, 'week'), (data) => metrics.getVolumeSeries(data, A, 'day', 'platform')],
  getVolumeMatrix: [(data) => metrics.getVolumeMatrix(data, A, 'day', 'platform'), (data) => metrics.getVolumeMatrix(data, B, 'day', 'platform'), (data) => metrics.getVolumeMatrix(data, A, 'week', 'platform'), (data) => metrics.getVolumeMatrix(data, A, 'day', 'language')],
  getViewsBeforeAction: [(data) => metrics.getViewsBeforeAction(data, A), (data) => metrics.getViewsBeforeAction(data, B)],
  getProviderCompliance: [(data) => metrics.getProviderCompliance(data, A, DEFAULT_FAILURE_SETTINGS), (data) => metrics.getProviderCompliance(data, B, DEFAULT_FAILURE_SETTINGS), (data) => metrics.getProviderCompliance(data, A, { ...DEFAULT_FAILURE_SETTINGS, hours: 24 })],
  getSpread: [(data) => metrics.getSpread(data, A, analyst), (data) => metrics.getSpread(data, EARLIER, analyst), (data) => metrics.getSpread(data, A, analyst, 1)],
  getNewPlatforms: [(data) => metrics.getNewPlatforms(data, A), (data) => metrics.getNewPlatforms(data, f('&from=2026-02-20&to=2026-02-28'))],
  getMonthlyMedians: [(data) => metrics.getMonthlyMedians(data, A, 'platform'), (data) => metrics.getMonthlyMedians(data, B, 'platform'), (data) => metrics.getMonthlyMedians(data, A, 'language')],
  getMatrix: [(data) => metrics.getMatrix(data, A, 'platform', 'language'), (data) => metrics.getMatrix(data, B, 'platform', 'language'), (data) => metrics.getMatrix(data, A, 'language', 'platform'), (data) => metrics.getMatrix(data, A, 'platform', 'content_type')],
  getOldestOpen: [(data) => metrics.getOldestOpen(data, A, 3), (data) => metrics.getOldestOpen(data, B, 3), (data) => metrics.getOldestOpen(data, A, 1)],
  getOrderOversight: [(data) => metrics.getOrderOversight(data, A), (data) => metrics.getOrderOversight(data, B)],
};

describe('memoised figures', () => {
  const db = memoryDb();
  beforeAll(async () => {
    await importFile(db, FIXTURE_CSV, { now: NOW });
  });

  it.each(Object.entries(QUESTIONS))('%s answers each question with its own figures', async (_, questions) => {
    dropMemos(db);
    const data = await factsOf(db);
    const asked = questions.map((q) => JSON.stringify(q(data)));
    const fresh = questions.map((q) => {
      dropMemos(db);
      return JSON.stringify(q(data));
    });
    expect(asked).toEqual(fresh);
    expect(new Set(fresh).size).toBe(questions.length);
  });
});
