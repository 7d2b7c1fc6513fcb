// Issue 15, METRICS.md "The state of a referral at as_of": figures at as_of
// equal the figures, at the same as_of, of a copy of the data from which
// every receipt and outcome after as_of has been removed (receipt cleared,
// outcome set to pending). Random data sets and random instants
// (fast-check); both paths of the metrics are reached: large selections walk
// the per-version time orders, small ones sort their own times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilterError, parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getBreakdown, getProviderCompliance, getSummary } from '@/lib/metrics';
import { getReferrals } from '@/lib/referrals';
import { STATUSES } from '@/db/codes';
import { principalOf } from '../helpers/principals';
import { memoryDb, writeTemp, factsOf } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const OUTCOMES = ['pending', 'removed', 'disabled', 'rejected', 'unavailable'] as const;

interface Row {
  id: number;
  order: boolean;
  platform: number;
  referredAt: number;
  receivedAt: number | null;
  outcome: (typeof OUTCOMES)[number];
  outcomeAt: number | null;
  paused: number | null;
}

// Times on a coarse grid (quarter hours over ten days), so that ties, deadlines hit exactly and as_of on an
// instant of the data all occur.
const quarter = (max: number) => fc.integer({ min: 0, max }).map((q) => q * HOUR / 4);
const row = fc
  .record({
    order: fc.boolean(),
    // Platform 0 is rare: a selection of it is small (the other path of the metrics).
    platform: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 30, arbitrary: fc.integer({ min: 1, max: 3 }) }),
    referred: quarter(40 * 24 * 4),
    receiptAfter: fc.option(quarter(12 * 4), { nil: null }),
    outcome: fc.constantFrom(...OUTCOMES),
    outcomeAfter: quarter(10 * 24 * 4),
    paused: fc.option(fc.integer({ min: 0, max: 12 }).map((h) => h / 2), { nil: null, freq: 4 }),
  })
  .map(
    (r): Omit<Row, 'id'> => ({
      order: r.order,
      platform: r.platform,
      referredAt: T0 + r.referred,
      receivedAt: r.order && r.receiptAfter !== null ? T0 + r.referred + r.receiptAfter : null,
      outcome: r.outcome,
      outcomeAt: r.outcome === 'pending' ? null : T0 + r.referred + r.outcomeAfter,
      paused: r.order ? r.paused : null,
    }),
  );
const dataSet = fc.array(row, { minLength: 1, maxLength: 120 }).map((rows) => rows.map((r, id) => ({ ...r, id })));

async function load(rows: Row[]) {
  const csv = csvOf(
    rows.map((r) =>
      validRow({
        referral_id: `K-${r.id}`,
        kind: r.order ? 'removal_order' : 'referral',
        platform: `p${r.platform}`,
        url: `https://p.example/item/${r.id}`,
        referred_at: iso(r.referredAt),
        received_at: r.receivedAt === null ? '' : iso(r.receivedAt),
        outcome: r.outcome,
        outcome_at: r.outcomeAt === null ? '' : iso(r.outcomeAt),
        clock_paused_hours: r.paused === null ? '' : String(r.paused),
      }),
    ),
  );
  const db = memoryDb();
  const result = await importFile(db, writeTemp('known-then.csv', csv));
  if (result.status !== 'committed') throw new Error(`the generated data did not import: ${result.message}`);
  return db;
}

/** The data as known at as_of: receipts and outcomes after it removed. */
function knownAt(rows: Row[], asOf: number): Row[] {
  return rows.map((r) => ({
    ...r,
    receivedAt: r.receivedAt !== null && r.receivedAt > asOf ? null : r.receivedAt,
    ...(r.outcomeAt !== null && r.outcomeAt > asOf ? { outcome: 'pending' as const, outcomeAt: null } : {}),
  }));
}

async function figures(db: ReturnType<typeof memoryDb>, asOf: number) {
  const at = (query: string) => parseFilters(new URLSearchParams(`as_of=${iso(asOf)}${query}`), {}, asOf + 1000).filters;
  return {
    summary: getSummary(await factsOf(db), at('')),
    orders: getSummary(await factsOf(db), at('&kind=removal_order')),
    rare: getSummary(await factsOf(db), at('&platform=p0')),
    breakdown: getBreakdown(await factsOf(db), at(''), 'platform').rows,
    compliance: getProviderCompliance(await factsOf(db), at(''), { target: 0.9, months: 1, minOrders: 1, hours: 1 }),
  };
}

describe('figures at as_of are the figures of the data as known at as_of', () => {
  it('for random data sets and instants: summary, a small and a large selection, a breakdown, provider compliance', async () => {
    await fc.assert(
      fc.asyncProperty(dataSet, fc.integer({ min: 0, max: 55 * 24 * 4 }), async (rows, q) => {
        const asOf = T0 + (q * HOUR) / 4;
        if (!rows.some((r) => r.referredAt <= asOf)) return;
        try {
          expect(await figures(await load(rows), asOf)).toEqual(await figures(await load(knownAt(rows, asOf)), asOf));
        } catch (err) {
          if (err instanceof FilterError) throw new Error(err.message);
          throw err;
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('the records list selects by status at as_of exactly the rows the figures count (the SQL and state.ts agree)', async () => {
    await fc.assert(
      fc.asyncProperty(dataSet, fc.integer({ min: 0, max: 55 * 24 * 4 }), async (rows, q) => {
        const asOf = T0 + (q * HOUR) / 4;
        const db = await load(rows);
        const filters = parseFilters(new URLSearchParams(`as_of=${iso(asOf)}`), {}, asOf + 1000).filters;
        const s = getSummary(await factsOf(db), filters);
        const counted = { actioned: s.actioned, declined: s.declined, open: s.open, excluded: s.excluded };
        const listed: Record<string, number> = {};
        for (const status of STATUSES) listed[status] = (await getReferrals(db, principalOf('analyst'), filters, { page: 1, pageSize: 1, sort: 'referral_id', status })).total;
        expect(listed).toEqual(counted);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('an order acknowledged 10 minutes after as_of runs its clock from its referral (exposure 2 h), and is eligible at 1 h', async () => {
    const asOf = T0 + 10 * 24 * HOUR;
    const rows: Row[] = [{ id: 1, order: true, platform: 1, referredAt: asOf - 2 * HOUR, receivedAt: asOf + 10 * 60_000, outcome: 'removed', outcomeAt: asOf + HOUR, paused: null }];
    const s = getSummary(await factsOf(await load(rows)), parseFilters(new URLSearchParams(`as_of=${iso(asOf)}`), {}, asOf).filters);
    // Open at as_of, exposure 2 h (not −10 min): at risk in Kaplan–Meier, eligible and late at 1 h.
    expect(s).toMatchObject({ open: 1, actioned: 0, max_follow_up: 2 });
    expect(s.compliance.find((c) => c.hours === 1)).toMatchObject({ eligible: 1, on_time: 0 });
    expect(s.time_to_acknowledge.n).toBe(0);
  });

  it('an item found unavailable after as_of is open at as_of, not excluded', async () => {
    const asOf = T0 + 10 * 24 * HOUR;
    const rows: Row[] = [
      { id: 1, order: false, platform: 1, referredAt: asOf - 30 * HOUR, receivedAt: null, outcome: 'unavailable', outcomeAt: asOf + HOUR, paused: null },
      { id: 2, order: false, platform: 1, referredAt: asOf - 30 * HOUR, receivedAt: null, outcome: 'unavailable', outcomeAt: asOf - HOUR, paused: null },
    ];
    const s = getSummary(await factsOf(await load(rows)), parseFilters(new URLSearchParams(`as_of=${iso(asOf)}`), {}, asOf).filters);
    expect(s).toMatchObject({ total: 2, excluded: 1, open: 1, n: 1, max_follow_up: 30 });
  });
});
