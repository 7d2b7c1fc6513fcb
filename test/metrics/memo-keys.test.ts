// Every memoised figure keeps apart the questions that differ (issue 23, from
// the survivors of a mutation run: dropping an argument from a memo key went
// unnoticed). Each function is asked two or more different questions in turn
// on one database; each answer must equal the one computed with nothing
// memoised, and the answers must differ (or the test could not fail).
import { describe, expect, it } from 'vitest';
import type { Db } from '@/db/sqlite/client';
import { parseFilters, type Filters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import * as metrics from '@/lib/metrics';
import { dropMemos } from '@/lib/metrics/fact-store';
import { DEFAULT_FAILURE_SETTINGS } from '@/lib/metrics/persistent-failure';
import { FIXTURE_CSV, memoryDb } from '../helpers/db';
import { principalOf } from '../helpers/principals';

const NOW = Date.parse('2026-03-05T00:00:00Z');
const f = (query: string): Filters => parseFilters(new URLSearchParams(`as_of=2026-03-01T00:00:00Z${query}`), {}, NOW).filters;
const A = f('');
const B = f('&platform=alpha');
const EARLIER = parseFilters(new URLSearchParams('as_of=2026-02-26T00:00:00Z'), {}, NOW).filters;
const analyst = principalOf('analyst');

const QUESTIONS: Record<string, ((db: Db) => unknown)[]> = {
  getSummary: [(db) => metrics.getSummary(db, A), (db) => metrics.getSummary(db, B), (db) => metrics.getSummary(db, A, { kmPoints: 2 })],
  getBreakdown: [(db) => metrics.getBreakdown(db, A, 'platform'), (db) => metrics.getBreakdown(db, B, 'platform'), (db) => metrics.getBreakdown(db, A, 'language'), (db) => metrics.getBreakdown(db, A, 'platform', { kmPoints: 2 })],
  getVolumes: [(db) => metrics.getVolumes(db, A, 'platform'), (db) => metrics.getVolumes(db, B, 'platform'), (db) => metrics.getVolumes(db, A, 'language')],
  getVolumeSeries: [(db) => metrics.getVolumeSeries(db, A, 'day'), (db) => metrics.getVolumeSeries(db, B, 'day'), (db) => metrics.getVolumeSeries(db, A, 'week'), (db) => metrics.getVolumeSeries(db, A, 'day', 'platform')],
  getVolumeMatrix: [(db) => metrics.getVolumeMatrix(db, A, 'day', 'platform'), (db) => metrics.getVolumeMatrix(db, B, 'day', 'platform'), (db) => metrics.getVolumeMatrix(db, A, 'week', 'platform'), (db) => metrics.getVolumeMatrix(db, A, 'day', 'language')],
  getViewsBeforeAction: [(db) => metrics.getViewsBeforeAction(db, A), (db) => metrics.getViewsBeforeAction(db, B)],
  getProviderCompliance: [(db) => metrics.getProviderCompliance(db, A, DEFAULT_FAILURE_SETTINGS), (db) => metrics.getProviderCompliance(db, B, DEFAULT_FAILURE_SETTINGS), (db) => metrics.getProviderCompliance(db, A, { ...DEFAULT_FAILURE_SETTINGS, hours: 24 })],
  getSpread: [(db) => metrics.getSpread(db, A, analyst), (db) => metrics.getSpread(db, EARLIER, analyst), (db) => metrics.getSpread(db, A, analyst, 1)],
  getNewPlatforms: [(db) => metrics.getNewPlatforms(db, A), (db) => metrics.getNewPlatforms(db, f('&from=2026-02-20&to=2026-02-28'))],
  getMonthlyMedians: [(db) => metrics.getMonthlyMedians(db, A, 'platform'), (db) => metrics.getMonthlyMedians(db, B, 'platform'), (db) => metrics.getMonthlyMedians(db, A, 'language')],
  getMatrix: [(db) => metrics.getMatrix(db, A, 'platform', 'language'), (db) => metrics.getMatrix(db, B, 'platform', 'language'), (db) => metrics.getMatrix(db, A, 'language', 'platform'), (db) => metrics.getMatrix(db, A, 'platform', 'content_type')],
  getOldestOpen: [(db) => metrics.getOldestOpen(db, A, 3), (db) => metrics.getOldestOpen(db, B, 3), (db) => metrics.getOldestOpen(db, A, 1)],
  getOrderOversight: [(db) => metrics.getOrderOversight(db, A), (db) => metrics.getOrderOversight(db, B)],
};

describe('memoised figures', () => {
  const db = memoryDb();
  importFile(db, FIXTURE_CSV, { now: NOW });

  it.each(Object.entries(QUESTIONS))('%s answers each question with its own figures', (_, questions) => {
    dropMemos(db);
    const asked = questions.map((q) => JSON.stringify(q(db)));
    const fresh = questions.map((q) => {
      dropMemos(db);
      return JSON.stringify(q(db));
    });
    expect(asked).toEqual(fresh);
    expect(new Set(fresh).size).toBe(questions.length);
  });
});
