// The per-version time orders give exactly the Kaplan–Meier table that
// sorting each request's times would give, and the table an independent
// product-limit computation gives from the stored records.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '@/db/sqlite/store';
import { seedDemo } from '@/lib/demo/seed';
import { parseFilters } from '@/lib/filters';
import { getBreakdown, getSummary } from '@/lib/metrics';
import { selectRows } from '@/lib/metrics/selection';
import { EXCLUDED, ACTIONED, referralStates } from '@/lib/metrics/state';
import { summarize } from '@/lib/metrics/summary';
import { kaplanMeier } from '@/lib/stats/kaplan-meier';
import { memoryDb, factsOf } from '../helpers/db';
import { expectFigures } from '../helpers/figures';

let db: SqliteStore;
beforeAll(async () => {
  db = memoryDb();
  await seedDemo(db, { rows: 6000, seed: 17 });
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
  it.each(cases)('%o', async (query) => {
    const filters = parseFilters(new URLSearchParams({ as_of: '2026-11-01T00:00:00Z', ...query })).filters;
    const { facts } = (await factsOf(db));
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
  it.each(['platform', 'kind', 'language'] as const)('and equals the filtered summaries, by %s', async (by) => {
    const filters = parseFilters(new URLSearchParams({ as_of: '2026-06-01T00:00:00Z' })).filters;
    const rows = getBreakdown(await factsOf(db), filters, by, { kmPoints: Infinity }).rows;
    expect(rows.length).toBeGreaterThan(1);
    for (const { key, name: _name, ...row } of rows) {
      const alone = getSummary(await factsOf(db), { ...filters, values: { ...filters.values, [by]: [key] } }, { kmPoints: Infinity });
      expect(row, `${by}=${key}`).toEqual(alone);
    }
  });
});

// The oracle: METRICS.md read straight onto the stored rows, with none of the
// code above (no fact columns, no state, no lib/stats). Instants stay whole
// milliseconds so that ties are exact; every count is a plain scan.
interface StoredRow { kind: string; platform: string; language: string; ideology: string; referred_at: number; received_at: number | null; outcome: string; outcome_at: number | null; clock_paused_hours: number | null }
const Z = 1.959963984540054;

function productLimitTable(db: SqliteStore, query: Record<string, string>, asOf: number) {
  const stored = db.db.$client
    .prepare('SELECT r.kind, r.platform, r.language, g.ideology, r.referred_at, r.received_at, r.outcome, r.outcome_at, r.clock_paused_hours FROM referrals r JOIN groups g ON g.code = r.group_code')
    .all() as StoredRow[];
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const times: number[] = [];
  const events: boolean[] = [];
  for (const r of stored) {
    if (r.referred_at > asOf) continue;
    if (query.from && r.referred_at < day(query.from)) continue;
    if (query.to && r.referred_at >= day(query.to) + 86_400_000) continue;
    if (['platform', 'kind', 'language', 'ideology'].some((d) => query[d] && query[d] !== r[d as keyof StoredRow])) continue;
    const known = r.outcome_at !== null && r.outcome_at <= asOf;
    if (known && r.outcome === 'unavailable') continue;
    const start = r.kind === 'removal_order' && r.received_at !== null && r.received_at <= asOf ? r.received_at : r.referred_at;
    const actioned = known && (r.outcome === 'removed' || r.outcome === 'disabled');
    const end = actioned ? r.outcome_at! : asOf;
    times.push(Math.max(0, end - start - (r.clock_paused_hours ?? 0) * 3_600_000));
    events.push(actioned);
  }
  const eventTimes = [...new Set(times.filter((_, k) => events[k]))].sort((a, b) => a - b);
  let surv = 1;
  let greenwood = 0;
  return eventTimes.map((t) => {
    const atRisk = times.filter((x) => x >= t).length;
    const died = times.filter((x, k) => x === t && events[k]).length;
    const censored = times.filter((x, k) => x === t && !events[k]).length;
    surv *= 1 - died / atRisk;
    greenwood += died / (atRisk * (atRisk - died));
    let lower: number | null = null;
    let upper: number | null = null;
    if (surv > 0 && surv < 1) {
      const se = Math.sqrt(greenwood) / Math.abs(Math.log(surv));
      lower = Math.exp(-Math.exp(Math.log(-Math.log(surv)) + Z * se));
      upper = Math.exp(-Math.exp(Math.log(-Math.log(surv)) - Z * se));
    }
    return { time: t / 3_600_000, n_risk: atRisk, n_event: died, n_censor: censored, surv, lower, upper };
  });
}

describe('survival times against an independent product-limit computation from the stored records', () => {
  const cases: Record<string, string>[] = [{}, { platform: 'vidora' }, { kind: 'removal_order' }, { from: '2025-01-01', to: '2025-12-31' }, { as_of: '2025-06-18T12:00:00Z' }, { ideology: 'jihadist', language: 'ar' }];
  it.each(cases)('%o', async (query) => {
    const filters = parseFilters(new URLSearchParams({ as_of: '2026-11-01T00:00:00Z', ...query })).filters;
    const expected = productLimitTable(db, query, filters.asOf);
    expect(expected.length).toBeGreaterThan(20);
    const summary = getSummary(await factsOf(db), filters, { kmPoints: Infinity });
    expectFigures(summary.km, expected, JSON.stringify(query));
    const median = expected.find((r) => r.surv <= 0.5 * (1 + 1e-12));
    expect(summary.km_median).toBe(median ? median.time : null);
  });
});
