// METRICS.md "Comparison with the previous period": each headline figure
// beside the same figure of the period before, worked by hand.
import { describe, expect, it } from 'vitest';
import { compareSummaries } from '@/lib/metrics/comparison';
import type { Summary } from '@/lib/metrics/summary';

const summary = (s: Partial<Summary>): Summary => s as Summary;
const rate = (hours: number, r: number | null) => ({ hours, eligible: 0, on_time: 0, rate: r, lower: null, upper: null });

describe('compareSummaries', () => {
  it('gives every headline figure with its absolute and relative change, and each deadline of the current period', () => {
    const current = summary({ total: 30, removal_rate: 0.6, km_median: null, open_over_7_days: 0, compliance: [rate(1, 0.5), rate(24, 0.9)] });
    const previous = summary({ total: 20, removal_rate: 0.8, km_median: 12, open_over_7_days: 0, compliance: [rate(24, 0.75), rate(168, 1)] });
    const changes = compareSummaries(current, previous);
    expect(changes.map((c) => c.metric)).toEqual(['total', 'removal_rate', 'km_median', 'open_over_7_days', 'compliance_1h', 'compliance_24h']);
    const by = Object.fromEntries(changes.map((c) => [c.metric, c]));
    // 30 against 20: +10, +50%.
    expect(by.total).toEqual({ metric: 'total', current: 30, previous: 20, absolute: 10, relative: 0.5 });
    // 0.6 against 0.8: −0.2, −25% (relative to |previous|).
    expect(by.removal_rate.absolute).toBeCloseTo(-0.2, 12);
    expect(by.removal_rate.relative).toBeCloseTo(-0.25, 12);
    // A median not reached now: no change can be given.
    expect(by.km_median).toEqual({ metric: 'km_median', current: null, previous: 12, absolute: null, relative: null });
    // 0 against 0: no change, and no relative change from zero.
    expect(by.open_over_7_days).toEqual({ metric: 'open_over_7_days', current: 0, previous: 0, absolute: 0, relative: null });
    // The 1-hour deadline had no figure before; 24 h is matched by its hours, not by its place.
    expect(by.compliance_1h).toEqual({ metric: 'compliance_1h', current: 0.5, previous: null, absolute: null, relative: null });
    expect(by.compliance_24h.previous).toBe(0.75);
    expect(by.compliance_24h.relative).toBeCloseTo(0.2, 12);
  });

  it('takes a relative change against the size of the previous figure (none is negative today; the definition holds if one is)', () => {
    const [total] = compareSummaries(summary({ total: -2, compliance: [] }), summary({ total: -4, compliance: [] }));
    expect(total.relative).toBe(0.5);
  });
});
