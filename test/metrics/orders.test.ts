// Removal-order oversight and the annual transparency report, on a set of
// orders built by hand. Every expected figure is worked out in the comments.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '@/db/sqlite/store';
import { recordSelectionParams } from '@/lib/api/params';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import { getOrderOversight, getProviderCompliance, getSummary } from '@/lib/metrics';
import { failureSettingsInForce } from '@/lib/metrics/persistent-failure';
import { getReferrals } from '@/lib/referrals';
import { getTransparencyReport } from '@/lib/transparency';
import { memoryDb, tempDir, writeTemp, factsOf } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';
import { principalOf } from '../helpers/principals';

const AS_OF = '2025-12-31T00:00:00Z';
const at = (query = '') => parseFilters(new URLSearchParams(`as_of=${AS_OF}${query}`)).filters;

// Provider "hourly", 3 March 2025; the deadline clock starts at receipt (received_at).
//   O1 referred 09:00, received 09:20, removed 10:20:00  → 1 h from receipt: on time (1 h 20 min from referral would be late)
//   O2 received 10:00:00, removed 11:00:00               → exactly 60 min: on time
//   O3 received 10:00:00, removed 11:00:01               → 60 min 1 s: late (band 1–2 h)
//   O4 received 10:00, clock paused 2 h, removed 12:30   → 2.5 h − 2 h = 0.5 h: on time
//   O5 received 10:00, removed 15:00                      → 5 h (band 2–24 h)
//   O6 received 10:00, removed 5 March 10:00              → 48 h (band after 24 h)
//   O7 rejected 12:00, not_in_breach_of_terms             → not executed
//   O8 rejected 12:00, manifest_error, clock paused 1 h   → not executed
//   O9 pending                                            → still open
//   O10 unavailable                                       → already unavailable: in no response figure
//   O11 rejected 12:00, no reason given                   → not executed
// O1–O5 by unit fr-pharos, O6–O11 by de-bka. Y1: an order of 31 Dec 2024 23:59:59 (the 2024 report's).
// Referrals (non-binding) on hourly: R1 removed after 3 h, R2 pending.
const day = '2025-03-03';
const order = (id: string, unit: string, fields: Record<string, string>) =>
  validRow({
    referral_id: id,
    kind: 'removal_order',
    unit,
    platform: 'hourly',
    url: `https://hourly.example/${id}`,
    referred_at: `${day}T10:00:00Z`,
    received_at: `${day}T10:00:00Z`,
    ...fields,
  });
const ROWS = [
  order('O1', 'fr-pharos', { referred_at: `${day}T09:00:00Z`, received_at: `${day}T09:20:00Z`, outcome_at: `${day}T10:20:00Z` }),
  order('O2', 'fr-pharos', { outcome_at: `${day}T11:00:00Z` }),
  order('O3', 'fr-pharos', { outcome_at: `${day}T11:00:01Z` }),
  order('O4', 'fr-pharos', { outcome_at: `${day}T12:30:00Z`, clock_paused_hours: '2' }),
  order('O5', 'fr-pharos', { outcome_at: `${day}T15:00:00Z` }),
  order('O6', 'de-bka', { outcome_at: '2025-03-05T10:00:00Z' }),
  order('O7', 'de-bka', { outcome: 'rejected', outcome_at: `${day}T12:00:00Z`, outcome_reason: 'not_in_breach_of_terms' }),
  order('O8', 'de-bka', { outcome: 'rejected', outcome_at: `${day}T12:00:00Z`, outcome_reason: 'manifest_error', clock_paused_hours: '1' }),
  order('O9', 'de-bka', { outcome: 'pending', outcome_at: '' }),
  order('O10', 'de-bka', { outcome: 'unavailable', outcome_at: `${day}T10:30:00Z` }),
  order('O11', 'de-bka', { outcome: 'rejected', outcome_at: `${day}T12:00:00Z` }),
  order('Y1', 'de-bka', { referred_at: '2024-12-31T23:59:59Z', received_at: '2025-01-01T00:10:00Z', outcome_at: '2025-01-01T00:40:00Z' }),
  validRow({ referral_id: 'R1', platform: 'hourly', url: 'https://hourly.example/R1', referred_at: `${day}T10:00:00Z`, outcome_at: `${day}T13:00:00Z` }),
  validRow({ referral_id: 'R2', platform: 'hourly', url: 'https://hourly.example/R2', referred_at: `${day}T10:00:00Z`, outcome: 'pending', outcome_at: '' }),
];

let db: SqliteStore;
beforeAll(async () => {
  db = memoryDb();
  const result = await importFile(db, writeTemp('orders.csv', csvOf(ROWS)));
  expect(result.status).toBe('committed');
});

describe('the one-hour rule', () => {
  it('starts the clock at receipt, subtracts pauses, and counts exactly 60 minutes as on time but not 60 minutes and 1 second', async () => {
    const oversight = getOrderOversight(await factsOf(db), at('&from=2025-01-01&to=2025-12-31'));
    expect(oversight.orders).toBe(11);
    expect(oversight.judged).toBe(10);
    expect(Object.fromEntries(oversight.bands.map((b) => [b.key, b.count]))).toEqual({
      within_1h: 3, // O1, O2, O4
      '1h_to_2h': 1, // O3
      '2h_to_24h': 1, // O5
      after_24h: 1, // O6
      not_executed: 3, // O7, O8, O11
      open: 1, // O9
    });
    expect(oversight.bands[0].share).toBeCloseTo(3 / 10, 12);
    // Eligible for 1 h: the 6 executed, and O7, O8, O9, O11 (online for more than an hour by as of); on time: O1, O2, O4.
    const hour = getSummary(await factsOf(db), at('&from=2025-01-01&to=2025-12-31&kind=removal_order')).compliance.find((c) => c.hours === 1)!;
    expect([hour.eligible, hour.on_time]).toEqual([10, 3]);
  });

  it('lists orders not executed by grounds, and paused clocks longest first', async () => {
    const oversight = getOrderOversight(await factsOf(db), at('&from=2025-01-01&to=2025-12-31'));
    expect(oversight.not_executed).toEqual([
      { reason: 'manifest_error', count: 1 },
      { reason: 'not_in_breach_of_terms', count: 1 },
      { reason: null, count: 1 },
    ]);
    // O4: paused 2 h, executed 0.5 h after receipt net of the pause; O8: paused 1 h, rejected (declined):
    // exposure at as of = 31 Dec 2025 00:00 − 3 Mar 2025 10:00 − 1 h = 302 days 13 h = 7,261 h.
    expect(oversight.paused.map((p) => [p.paused_hours, p.status, p.hours])).toEqual([
      [2, 'actioned', 0.5],
      [1, 'declined', 7261],
    ]);
  });
});

describe('persistent failure against the settings in force', () => {
  // "late3": Jan, Mar, Apr 2025 with 5 late orders each (judged, 0%), Feb with 2 (not judged).
  // "late2": Jan and Mar with 5 late orders, Feb with 2: two judged months only.
  const lateRows = (provider: string, months: [string, number][]) =>
    months.flatMap(([m, n]) =>
      Array.from({ length: n }, (_, k) =>
        validRow({
          referral_id: `${provider}-${m}-${k}`,
          kind: 'removal_order',
          platform: provider,
          url: `https://${provider}.example/${m}/${k}`,
          referred_at: `2025-${m}-1${k}T08:00:00Z`,
          received_at: `2025-${m}-1${k}T08:00:00Z`,
          outcome_at: `2025-${m}-1${k}T10:00:00Z`,
        }),
      ),
    );
  let failures: SqliteStore;
  const settingsDir = tempDir();
  beforeAll(async () => {
    failures = memoryDb();
    const rows = [
      ...lateRows('late3', [
        ['01', 5],
        ['02', 2],
        ['03', 5],
        ['04', 5],
      ]),
      ...lateRows('late2', [
        ['01', 5],
        ['02', 2],
        ['03', 5],
      ]),
    ];
    expect((await importFile(failures, writeTemp('late.csv', csvOf(rows)))).status).toBe('committed');
  });
  afterAll(() => {
    delete process.env.SETTINGS_FILE;
  });

  it('flags at exactly N judged months below target, not at N − 1; a month under the minimum neither extends nor breaks the run', async () => {
    process.env.SETTINGS_FILE = path.join(settingsDir, 'absent.json');
    expect(failureSettingsInForce()).toMatchObject({ settings: { target: 0.9, months: 3, minOrders: 5, hours: 1 }, problem: null });
    const result = getProviderCompliance(await factsOf(failures), at());
    expect(result.flagged).toEqual([{ key: 'late3', name: 'late3', triggering_months: ['2025-01', '2025-03', '2025-04'] }]);
    const late2 = result.providers.find((p) => p.key === 'late2')!;
    expect(late2.months.map((m) => [m.month, m.eligible, m.judged])).toEqual([
      ['2025-01', 5, true],
      ['2025-02', 2, false],
      ['2025-03', 5, true],
    ]);
    expect(late2.flagged).toBe(false);
  });

  it('reads the rule from the settings file, and keeps the defaults with the reason in words when the file is wrong', async () => {
    const file = path.join(settingsDir, 'settings.json');
    process.env.SETTINGS_FILE = file;
    fs.writeFileSync(file, JSON.stringify({ persistent_failure: { target: 0.9, months: 2, min_orders: 5 } }));
    expect(failureSettingsInForce().settings.months).toBe(2);
    // Two judged months now suffice: late2 is flagged too (the API and the pages use the rule in force).
    expect(getProviderCompliance(await factsOf(failures), at()).flagged.map((f) => f.key)).toEqual(['late2', 'late3']);
    fs.writeFileSync(file, JSON.stringify({ persistent_failure: { target: 1.5 } }));
    // A new modification time: the file is read again.
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const broken = failureSettingsInForce();
    expect(broken.settings.months).toBe(3);
    expect(broken.problem).toBe(`Invalid settings file ${file}: persistent_failure.target must be at most 1; the defaults are in force until it is fixed.`);
  });
});

describe('the transparency report of a year', () => {
  /** The records a link points at, counted through the records view's own query. */
  const recordsBehind = async (link: string) => {
    const params = new URLSearchParams(link.split('?')[1]);
    const { filters, extra } = parseFilters(params, recordSelectionParams);
    return (await getReferrals(db, principalOf('analyst'), filters, { page: 1, pageSize: 1, sort: 'referral_id', status: extra.status, reason: extra.reason })).total;
  };

  it('adds up to the records of that year, for the whole, every unit and every provider, and every count links to its records', async () => {
    const r = await getTransparencyReport(await factsOf(db), at(), 2025, principalOf('analyst'));
    const o = r.removal_orders;
    // 2025: O1–O11 (Y1 belongs to 2024). Executed O1–O6, rejected O7, O8, O11, open O9, unavailable O10.
    expect([o.issued.count, o.removed_or_disabled.count, o.not_executed.count, o.still_open.count, o.already_unavailable.count]).toEqual([11, 6, 3, 1, 1]);
    const parts = (x: typeof o) => x.removed_or_disabled.count + x.not_executed.count + x.still_open.count + x.already_unavailable.count;
    expect(parts(o)).toBe(o.issued.count);
    expect(r.by_unit.map((u) => [u.key, u.issued.count, u.removed_or_disabled.count, u.not_executed.count, u.still_open.count, u.already_unavailable.count])).toEqual([
      ['de-bka', 6, 1, 3, 1, 1],
      ['fr-pharos', 5, 5, 0, 0, 0],
    ]);
    for (const u of r.by_unit) expect(parts(u)).toBe(u.issued.count);
    expect(r.by_unit.reduce((a, u) => a + u.issued.count, 0)).toBe(o.issued.count);
    expect(r.by_provider.reduce((a, p) => a + p.issued.count, 0)).toBe(o.issued.count);
    expect(r.orders_within_1h).toMatchObject({ eligible: 10, on_time: 3 });
    expect(r.not_executed_by_reason.map((g) => [g.reason, g.count])).toEqual([
      ['manifest_error', 1],
      ['not_in_breach_of_terms', 1],
      [null, 1],
    ]);
    expect([r.referrals.issued.count, r.referrals.removed_or_disabled.count, r.referrals.still_open.count]).toEqual([2, 1, 1]);
    // Traceable: each link's records are exactly the count shown.
    const links = [
      ...Object.values(o),
      ...r.by_unit.flatMap((u) => [u.issued, u.removed_or_disabled, u.not_executed, u.still_open, u.already_unavailable]),
      ...r.by_provider.flatMap((p) => [p.issued, p.removed_or_disabled, p.not_executed, p.still_open, p.already_unavailable]),
      ...r.not_executed_by_reason,
      r.referrals.issued,
      r.referrals.removed_or_disabled,
    ];
    for (const c of links) expect(await recordsBehind(c.records), c.records).toBe(c.count);
  });

  it('puts an order of 31 December 23:59:59 in its own year', async () => {
    expect((await getTransparencyReport(await factsOf(db), at(), 2024, principalOf('analyst'))).removal_orders.issued.count).toBe(1);
    expect((await getTransparencyReport(await factsOf(db), at(), 2026, principalOf('analyst'))).removal_orders.issued.count).toBe(0);
  });
});
