// The briefing's sentences, small-number rule, file names and settings.
import { describe, expect, it } from 'vitest';
import { keyFindings, type FindingsInput } from '@/lib/briefing/findings';
import { countCell, countWords, medianCell, rateCell } from '@/lib/briefing/small-numbers';
import { exportFileName } from '@/lib/export-name';
import { parseFilters } from '@/lib/filters';
import type { BreakdownRow, Summary } from '@/lib/metrics';
import { getSettings } from '@/lib/settings';

/** A summary with only what the findings read; every other figure empty. */
function summary(figures: Partial<Summary>): Summary {
  return {
    as_of: '2026-11-01T00:00:00Z', total: 0, n: 0, actioned: 0, declined: 0, open: 0, excluded: 0, removal_rate: null, removal_rate_lower: null,
    removal_rate_upper: null, km: [], km_event_times: 0, km_median: null, km_median_lower: null, km_median_upper: null, km_p90: null, max_follow_up: null,
    compliance: [], among_removed: { median: null, mean: null, p90: null }, time_to_acknowledge: { n: 0, median: null, p90: null }, open_over_7_days: 0,
    ...figures,
  };
}

const hour = (eligible: number, onTime: number, lower: number, upper: number) => ({ hours: 1, eligible, on_time: onTime, rate: onTime / eligible, lower, upper });
const provider = (key: string, n: number, median: number | null, open7 = 0): BreakdownRow =>
  ({ ...summary({ total: n, n, km_median: median, max_follow_up: 500, open_over_7_days: open7 }), key, name: key.toUpperCase() });

function input(over: Partial<FindingsInput> = {}): FindingsInput {
  return {
    k: 5,
    asOf: Date.UTC(2026, 10, 1),
    period: 'from 1 May 2026 to 31 Oct 2026',
    previousPeriod: 'from 29 Oct 2025 to 30 Apr 2026',
    // 412 orders at least an hour old, 260 on time: Wilson 95% (0.5835, 0.6762) for p = 0.6311, z = 1.96 (lib/stats/wilson is checked against Newcombe 1998 in stats.test.ts).
    all: {
      current: summary({ total: 9836, n: 9506, removal_rate: 0.78, removal_rate_lower: 0.772, removal_rate_upper: 0.788, km_median: 8.3, km_median_lower: 7.5, km_median_upper: 9.1, open_over_7_days: 1097 }),
      previous: summary({ total: 9197, n: 9000, removal_rate: 0.82 }),
    },
    orders: { current: summary({ total: 1735, compliance: [hour(412, 260, 0.5835, 0.6762)] }), previous: summary({ total: 1600, compliance: [hour(400, 284, 0.663, 0.752)] }) },
    providers: [provider('vidora', 1470, 0.55, 6), provider('nashir', 590, null, 463), provider('tabula', 3, 0.1)],
    flagged: [],
    failureTarget: 0.9,
    ...over,
  };
}

describe('key findings', () => {
  it('writes the one-hour sentence of the issue from the figures, with the previous period', () => {
    expect(keyFindings(input())).toContain(
      'Of 412 removal orders at least one hour old, 63% (58–68%) were executed within the hour, down from 71% in the previous period.',
    );
  });

  it('says every headline figure in words, and leaves out providers below k', () => {
    const text = keyFindings(input());
    expect(text[0]).toBe('9,836 items were referred from 1 May 2026 to 31 Oct 2026 (against 9,197 in the previous period, from 29 Oct 2025 to 30 Apr 2026); 1,735 of them by removal order.');
    expect(text).toContain(
      'Of 9,506 referred items still available when referred, 78% (77–79%) had been removed or disabled by 1 Nov 2026, 00:00 UTC, down from 82% in the previous period.',
    );
    // tabula (3 referrals, the fastest) is below k: the fastest named is vidora.
    expect(text).toContain(
      "Among providers with at least 5 referrals, the fastest median time to removal was VIDORA's (33 min, n = 1,470); NASHIR had not removed half of its referred items (median not reached).",
    );
    expect(text).toContain('1,097 referred items were still online after 7 days at 1 Nov 2026, 00:00 UTC, 463 of them on NASHIR.');
    expect(text.at(-1)).toBe('No provider is flagged for persistent failure of the one-hour rule (compliance below 90% in consecutive judged months).');
  });

  it('gives no rate on fewer than k orders, and names flagged providers with their months', () => {
    const text = keyFindings(
      input({
        orders: { current: summary({ total: 4, compliance: [hour(4, 1, 0.05, 0.7)] }), previous: null },
        flagged: [{ name: 'Nashir Hub', triggering_months: ['2026-08', '2026-09', '2026-10'] }],
      }),
    );
    expect(text[0]).toContain('; fewer than 5 of them by removal order.');
    expect(text).toContain('Fewer than 5 removal orders were at least one hour old: too few for a compliance rate.');
    expect(text.join(' ')).not.toContain('25%');
    expect(text.at(-1)).toBe('One provider is flagged for persistent failure of the one-hour rule (compliance below 90%): Nashir Hub (2026-08, 2026-09, 2026-10).');
  });

  it('says so when nothing matches', () => {
    expect(keyFindings(input({ all: { current: summary({}), previous: null }, previousPeriod: null }))).toEqual([
      'No referral matches these filters from 1 May 2026 to 31 Oct 2026.',
    ]);
  });
});

describe('small numbers', () => {
  it('shows counts below k as "< k" and withholds rates and medians on them', () => {
    expect([countCell(0, 5), countCell(4, 5), countCell(5, 5), countCell(12345, 5)]).toEqual(['< 5', '< 5', '5', '12,345']);
    expect([countWords(3, 5), countWords(1200, 5)]).toEqual(['fewer than 5', '1,200']);
    expect(rateCell({ rate: 0.5, lower: 0.1, upper: 0.9 }, 4, 5)).toBe('not shown');
    expect(rateCell({ rate: 0.5, lower: 0.2, upper: 0.8 }, 10, 5)).toBe('50% (20–80%)');
    expect([medianCell(2, 10, 4, 5), medianCell(2, 10, 5, 5), medianCell(null, 200, 9, 5)]).toEqual(['not shown', '2 h', 'not reached (> 8.3 days)']);
    expect(countCell(9, 10)).toBe('< 10');
  });
});

describe('export file names', () => {
  const filters = (query: string) => parseFilters(new URLSearchParams(query)).filters;

  it('carry the period, the filters and as_of', () => {
    expect(exportFileName('referrals', filters('as_of=2026-03-01T00:00:00Z'), 'csv')).toBe('referrals_all-dates_as-of-2026-03-01T0000Z.csv');
    expect(exportFileName('briefing', filters('as_of=2026-11-01T09:30:00Z&from=2026-05-01&to=2026-10-31&platform=vidora,chirpnet&kind=removal_order'), 'pdf')).toBe(
      'briefing_2026-05-01-to-2026-10-31_platform-vidora+chirpnet_kind-removal_order_as-of-2026-11-01T0930Z.pdf',
    );
    expect(exportFileName('breakdown-by-platform-type', filters('as_of=2026-03-01T00:00:00Z&from=2026-02-01&platform_type=video'), 'csv')).toBe(
      'breakdown-by-platform-type_2026-02-01-to-as-of_platform-type-video_as-of-2026-03-01T0000Z.csv',
    );
  });

  it('cut a long list of filters, and say so', () => {
    const many = Array.from({ length: 40 }, (_, i) => `provider${i}`).join(',');
    const name = exportFileName('referrals', filters(`as_of=2026-03-01T00:00:00Z&platform=${many}`), 'csv');
    expect(name).toMatch(/^referrals_all-dates_platform-provider0\+provider1\+.*-and-more_as-of-2026-03-01T0000Z\.csv$/);
    expect(name.length).toBeLessThan(200);
    expect(name).toMatch(/^[A-Za-z0-9._+-]+$/);
  });
});

describe('settings', () => {
  it('default k to 5 and Chromium to Debian’s, and refuse bad values by name', () => {
    expect(getSettings({})).toMatchObject({ BRIEFING_MIN_CELL: 5, CHROMIUM_PATH: '/usr/bin/chromium' });
    expect(getSettings({ BRIEFING_MIN_CELL: '10' }).BRIEFING_MIN_CELL).toBe(10);
    expect(() => getSettings({ BRIEFING_MIN_CELL: '0' })).toThrow('Invalid setting: BRIEFING_MIN_CELL must be at least 1');
    expect(() => getSettings({ BRIEFING_MIN_CELL: '2.5' })).toThrow('BRIEFING_MIN_CELL must be a whole number');
    expect(getSettings({})).toMatchObject({ FACTS_WAIT_MS: 50, FACTS_KEEP: true });
    expect(getSettings({ FACTS_WAIT_MS: '0', FACTS_KEEP: '0' })).toMatchObject({ FACTS_WAIT_MS: 0, FACTS_KEEP: false });
    expect(() => getSettings({ FACTS_WAIT_MS: 'soon' })).toThrow('FACTS_WAIT_MS must be a whole number');
    expect(() => getSettings({ FACTS_KEEP: 'yes' })).toThrow('FACTS_KEEP must be 0 or 1');
    expect(() => getSettings({ BRIEFING_RENDER_ORIGIN: 'file:///etc/passwd' })).toThrow('BRIEFING_RENDER_ORIGIN must be an http(s) URL');
  });
});
