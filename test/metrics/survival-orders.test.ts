// The per-version time orders give exactly the Kaplan–Meier table that
// sorting each request's times would give.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { seedDemo } from '@/lib/demo/seed';
import { parseFilters } from '@/lib/filters';
import { getBreakdown, getSummary } from '@/lib/metrics';
import { getFacts } from '@/lib/metrics/fact-store';
import { selectRows } from '@/lib/metrics/selection';
import { EXCLUDED, ACTIONED, referralStates } from '@/lib/metrics/state';
import { summarize } from '@/lib/metrics/summary';
import { kaplanMeier } from '@/lib/stats/kaplan-meier';
import { memoryDb } from '../helpers/db';

let db: Db;
beforeAll(() => {
  db = memoryDb();
  seedDemo(db, { rows: 6000, seed: 17 });
});

describe('survival times from the per-version orders', () => {
  const cases: Record<string, string>[] = [
    {},
    { platform: 'vidora' },
    { kind: 'removal_order' },
    { from: '2025-01-01', to: '2025-12-31' },
    { as_of: '2025-06-18T12:00:00Z' },
    { ideology: 'jihadist', language: 'ar' },
  ];
  it.each(cases)('%o', (query) => {
    const filters = parseFilters(new URLSearchParams({ as_of: '2026-11-01T00:00:00Z', ...query })).filters;
    const { facts } = getFacts(db);
    const rows = selectRows(facts, filters);
    const states = referralStates(facts, rows, filters.asOf);
    const times: number[] = [];
    const events: number[] = [];
    states.status.forEach((s, k) => {
      if (s === EXCLUDED) return;
      times.push(states.hours[k]);
      events.push(s === ACTIONED ? 1 : 0);
    });
    const reference = kaplanMeier(times, events);
    const summary = summarize(facts, rows, filters.asOf, { kmPoints: Infinity });
    expect(summary.km).toEqual(reference.rows);
    expect(summary.km_median).toBe(reference.median);
    expect(summary.max_follow_up).toBe(reference.maxFollowUp);
  });
});

describe('a breakdown computes every group in one walk', () => {
  it.each(['platform', 'kind', 'language'] as const)('and equals the filtered summaries, by %s', (by) => {
    const filters = parseFilters(new URLSearchParams({ as_of: '2026-06-01T00:00:00Z' })).filters;
    const rows = getBreakdown(db, filters, by, { kmPoints: Infinity }).rows;
    expect(rows.length).toBeGreaterThan(1);
    for (const { key, name: _name, ...row } of rows) {
      const alone = getSummary(db, { ...filters, values: { ...filters.values, [by]: [key] } }, { kmPoints: Infinity });
      expect(row, `${by}=${key}`).toEqual(alone);
    }
  });
});
