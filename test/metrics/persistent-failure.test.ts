// METRICS.md "Providers over time", with a hand-built set of removal orders.
import { describe, expect, it } from 'vitest';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getProviderCompliance } from '@/lib/metrics';
import { failureRuns } from '@/lib/metrics/persistent-failure';
import { memoryDb, writeTemp, factsOf } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

const month = (m: string, judged: boolean, below: boolean) => ({ month: m, judged, below_target: judged ? below : null });

describe('failureRuns', () => {
  it('flags exactly N consecutive judged months below target, not N − 1', () => {
    expect(failureRuns([month('01', true, true), month('02', true, true), month('03', true, true)], 3)).toEqual(['01', '02', '03']);
    expect(failureRuns([month('01', true, true), month('02', true, true), month('03', true, false)], 3)).toEqual([]);
  });

  it('a month not judged neither extends nor breaks a run', () => {
    expect(failureRuns([month('01', true, true), month('02', false, false), month('03', true, true), month('04', true, true)], 3)).toEqual(['01', '03', '04']);
    expect(failureRuns([month('01', true, true), month('02', false, true), month('03', true, true)], 3)).toEqual([]);
  });
});

describe('monthly one-hour compliance of removal orders', () => {
  // Provider "slowco": orders received at the start of each month, executed in 30 min (on time)
  // or 2 h (late). Jan: 4 of 5 on time (80%); Feb: 3 of 4 (not judged: < 5 orders);
  // Mar: 2 of 6 (33%); Apr: 5 of 5 (100%); May, Jun, Jul: 1 of 5 each (20%).
  // Judged below 90%: Jan, Mar | Apr breaks | May, Jun, Jul → flagged for May-Jul only.
  const plan: [string, number, number][] = [
    ['2025-01', 4, 1],
    ['2025-02', 3, 1],
    ['2025-03', 2, 4],
    ['2025-04', 5, 0],
    ['2025-05', 1, 4],
    ['2025-06', 1, 4],
    ['2025-07', 1, 4],
  ];

  it('gives rates with Wilson intervals and flags the months that trigger', async () => {
    const rows: Record<string, string>[] = [];
    for (const [m, onTime, late] of plan) {
      for (let k = 0; k < onTime + late; k++) {
        const id = `${m}-${k}`;
        const start = `${m}-0${(k % 9) + 1}T10:00:00Z`;
        const done = k < onTime ? `${m}-0${(k % 9) + 1}T10:30:00Z` : `${m}-0${(k % 9) + 1}T12:00:00Z`;
        rows.push(validRow({ referral_id: id, kind: 'removal_order', platform: 'slowco', url: `https://slow.example/${id}`, referred_at: start, received_at: start, outcome_at: done }));
      }
    }
    const db = memoryDb();
    expect((await importFile(db, writeTemp('orders.csv', csvOf(rows)))).status).toBe('committed');
    const result = getProviderCompliance(await factsOf(db), parseFilters(new URLSearchParams({ as_of: '2025-12-31T00:00:00Z' })).filters);
    const slow = result.providers.find((p) => p.key === 'slowco')!;
    expect(slow.months.map((m) => [m.month, m.eligible, m.on_time, m.judged])).toEqual([
      ['2025-01', 5, 4, true],
      ['2025-02', 4, 3, false],
      ['2025-03', 6, 2, true],
      ['2025-04', 5, 5, true],
      ['2025-05', 5, 1, true],
      ['2025-06', 5, 1, true],
      ['2025-07', 5, 1, true],
    ]);
    expect(slow.months[0].rate).toBe(0.8);
    // Wilson 95% for 4/5 (Newcombe's method 3): 0.3755–0.9638.
    expect(slow.months[0].lower).toBeCloseTo(0.375535, 5);
    expect(slow.months[0].upper).toBeCloseTo(0.963776, 5);
    expect(slow.flagged).toBe(true);
    expect(slow.triggering_months).toEqual(['2025-05', '2025-06', '2025-07']);
    expect(result.flagged).toEqual([{ key: 'slowco', name: 'slowco', triggering_months: ['2025-05', '2025-06', '2025-07'] }]);
    // With four months required nothing triggers.
    const strict = getProviderCompliance(await factsOf(db), parseFilters(new URLSearchParams({ as_of: '2025-12-31T00:00:00Z' })).filters, { target: 0.9, months: 4, minOrders: 5, hours: 1 });
    expect(strict.flagged).toEqual([]);
  });
});
