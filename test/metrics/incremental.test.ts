// Issue 17: facts follow imports. After each committed batch the process
// applies only the rows it inserted or changed to the facts it holds; the
// columns and every figure must then be, bit for bit, those of a fresh read
// of the whole database. Random batches of inserts and updates (outcomes
// recorded, receipts, pauses, new platforms, groups, campaigns, languages
// appearing and vanishing, hashes and reasons), seeded, so a failure repeats.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '@/db/open';
import type { Store } from '@/db/store';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import * as metrics from '@/lib/metrics';
import { getDatabaseStatus } from '@/lib/database-status';
import { getFilterOptions } from '@/lib/filter-options';
import { currentFacts, dropFacts, factsWaitMs, memoSize, refreshCounts, refreshed, type FactSnapshot } from '@/lib/metrics/fact-store';
import { timeOrders } from '@/lib/metrics/time-orders';
import { principalOf } from '../helpers/principals';
import { tempDir, writeTemp } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const NOW = T0 + 60 * 24 * HOUR;

/** A small seeded generator (mulberry32): the same batches on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

const PLATFORMS = ['alpha', 'beta', 'gamma', 'delta'];
const GROUPS = ['daesh', 'aq', 'fr-right'];
const LANGUAGES = ['ar', 'en', 'fr', 'de', 'ps'];
const REASONS = ['', '', 'not_illegal', 'manifest_error', 'force_majeure'];

function row(rnd: ReturnType<typeof random>, id: string, batch: number, referredAt?: string): Record<string, string> {
  const order = rnd.next() < 0.3;
  // An update keeps the referral's instant (a later outcome, receipt, code…).
  const referred = referredAt ? Date.parse(referredAt) : T0 + rnd.int(50 * 24) * HOUR + rnd.int(60) * 60_000;
  const outcome = rnd.pick(['pending', 'removed', 'removed', 'disabled', 'rejected', 'unavailable']);
  const outcomeAt = outcome === 'pending' ? '' : iso(referred + (1 + rnd.int(200)) * 30 * 60_000);
  // Later batches bring codes the first did not have: a platform, a campaign and a language appear.
  const platform = batch > 2 && rnd.next() < 0.15 ? `new-${batch % 3}` : rnd.pick(PLATFORMS);
  const language = batch > 1 && rnd.next() < 0.1 ? rnd.pick(['zh', 'ru']) : rnd.pick(LANGUAGES);
  return validRow({
    referral_id: id,
    kind: order ? 'removal_order' : 'referral',
    platform,
    group: batch > 4 && rnd.next() < 0.1 ? 'new-group' : rnd.pick(GROUPS),
    language,
    campaign: rnd.next() < 0.2 ? rnd.pick(['rad-1', batch > 3 ? 'rad-new' : 'rad-2']) : '',
    url: `https://${platform}.example/${id}`,
    content_hash: rnd.next() < 0.4 ? `h${rnd.int(30)}` : '',
    referred_at: iso(referred),
    received_at: order && rnd.next() < 0.8 ? iso(referred + rnd.int(120) * 60_000) : '',
    outcome,
    outcome_at: outcomeAt,
    outcome_reason: outcome === 'rejected' ? rnd.pick(REASONS) : '',
    clock_paused_hours: order && rnd.next() < 0.2 ? String(rnd.int(5)) : '',
    views_at_referral: rnd.next() < 0.5 ? String(rnd.int(1000)) : '',
  });
}

/** Every figure the app shows, at a few instants and selections. */
function figures(data: FactSnapshot) {
  const at = (q: string) => parseFilters(new URLSearchParams(q), {}, NOW).filters;
  const all = at(`as_of=${iso(T0 + 55 * 24 * HOUR)}`);
  const early = at(`as_of=${iso(T0 + 20 * 24 * HOUR)}&platform=alpha,new-0`);
  const orders = at(`as_of=${iso(T0 + 55 * 24 * HOUR)}&kind=removal_order&from=2026-01-10&to=2026-02-10`);
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries({ all, early, orders })) {
    out[`summary ${name}`] = metrics.getSummary(data, f);
    for (const by of ['platform', 'group', 'language', 'campaign', 'kind'] as const) out[`breakdown ${name} ${by}`] = metrics.getBreakdown(data, f, by);
    out[`volumes ${name}`] = metrics.getVolumeSeries(data, f, 'week', 'platform');
    out[`medians ${name}`] = metrics.getMonthlyMedians(data, f);
    out[`compliance ${name}`] = metrics.getProviderCompliance(data, f);
    out[`matrix ${name}`] = metrics.getMatrix(data, f, 'group', 'language');
    out[`spread ${name}`] = metrics.getSpread(data, f, principalOf('analyst'));
    out[`new platforms ${name}`] = metrics.getNewPlatforms(data, f);
    out[`oversight ${name}`] = metrics.getOrderOversight(data, f);
    out[`oldest ${name}`] = metrics.getOldestOpen(data, f, 10);
    out[`views ${name}`] = metrics.getViewsBeforeAction(data, f);
  }
  out.options = getFilterOptions(data);
  return out;
}

async function importBatch(store: Store, rows: Record<string, string>[], name: string) {
  const result = await importFile(store, writeTemp(name, csvOf(rows)), { now: NOW });
  if (result.status !== 'committed') throw new Error(`${name}: ${result.message}`);
  return result;
}

describe('facts after an import, applied incrementally', () => {
  it('are bit for bit those of a fresh read, with every figure the same, after each of 12 random batches', async () => {
    const file = path.join(tempDir(), 'incremental.db');
    const store = openStore({ engine: 'sqlite', path: file });
    const rnd = random(20261202);
    const rows = new Map<string, Record<string, string>>();
    const first = Array.from({ length: 400 }, (_, k) => row(rnd, `R-${k}`, 0));
    for (const r of first) rows.set(r.referral_id, r);
    await importBatch(store, first, 'first.csv');
    // The facts held, with their time orders built (as after the first request).
    figures(await currentFacts(store));
    let next = 400;
    for (let batch = 1; batch <= 12; batch++) {
      const changes: Record<string, string>[] = [];
      const inserts = rnd.int(60);
      for (let k = 0; k < inserts; k++) changes.push(row(rnd, `R-${next++}`, batch));
      const ids = [...rows.keys()];
      for (let k = 0, updates = rnd.int(60); k < updates; k++) {
        const id = rnd.pick(ids);
        if (changes.some((c) => c.referral_id === id)) continue;
        changes.push(row(rnd, id, batch, rows.get(id)!.referred_at));
      }
      // In batch 7 every row in French becomes English: a language vanishes.
      if (batch === 7)
        for (const [id, r] of rows) if (r.language === 'fr' && !changes.some((c) => c.referral_id === id)) changes.push({ ...r, language: 'en' });
      for (const c of changes) rows.set(c.referral_id, c);
      const before = refreshCounts.incremental;
      await importBatch(store, changes, `batch-${batch}.csv`);
      const incremental = await currentFacts(store);
      expect(refreshCounts.incremental, `batch ${batch} was applied, not read whole`).toBe(before + 1);
      // A fresh read of the whole database, on a connection of its own.
      const other = openStore({ engine: 'sqlite', path: file });
      const fresh = await currentFacts(other);
      expect(incremental.version).toBe(fresh.version);
      expect(incremental.mark).toEqual(fresh.mark);
      expect(incremental.facts, `columns after batch ${batch}`).toEqual(fresh.facts);
      expect(figures(incremental), `figures after batch ${batch}`).toEqual(figures(fresh));
      // The time orders were carried over, not sorted again: the same as the sort of the fresh read, ties and all.
      expect(timeOrders(incremental.facts), `time orders after batch ${batch}`).toEqual(timeOrders(fresh.facts));
      expect((await getDatabaseStatus({ store, data: incremental })).total).toBe(rows.size);
      dropFacts(other);
      await other.close();
    }
    expect(rows.size).toBeGreaterThan(400);
    await store.close();
  }, 120_000);

  it('reads everything when a batch changed more than a quarter of the rows (and more than 1,000), answering from the version held meanwhile', async () => {
    const file = path.join(tempDir(), 'full.db');
    const store = openStore({ engine: 'sqlite', path: file });
    const rnd = random(7);
    await importBatch(store, Array.from({ length: 100 }, (_, k) => row(rnd, `R-${k}`, 0)), 'first.csv');
    const held = await currentFacts(store);
    const fullBefore = refreshCounts.full;
    await importBatch(store, Array.from({ length: 1500 }, (_, k) => row(rnd, `N-${k}`, 1)), 'big.csv');
    // The first ask after the commit is answered from the version held, marked stale, while everything is read.
    const during = await currentFacts(store);
    expect([during.version, during.stale, during.facts.size]).toEqual([held.version, true, 100]);
    await refreshed(store);
    const after = await currentFacts(store);
    expect([after.version > held.version, after.stale, after.facts.size, refreshCounts.full]).toEqual([true, undefined, 1600, fullBefore + 1]);
    await store.close();
  });

  it('answers from the version held when an incremental refresh takes longer than the wait, and serves the new one with the figures asked before already computed', async () => {
    const store = openStore({ engine: 'sqlite', path: path.join(tempDir(), 'wait.db') });
    const rnd = random(11);
    await importBatch(store, Array.from({ length: 200 }, (_, k) => row(rnd, `R-${k}`, 0)), 'first.csv');
    const f = parseFilters(new URLSearchParams(`as_of=${iso(T0 + 55 * 24 * HOUR)}`), {}, NOW).filters;
    const held = await currentFacts(store);
    const before = metrics.getSummary(held, f);
    metrics.getBreakdown(held, f, 'platform');
    const waitBefore = process.env.FACTS_WAIT_MS;
    process.env.FACTS_WAIT_MS = '0';
    try {
      expect(factsWaitMs()).toBe(0);
      await importBatch(store, Array.from({ length: 20 }, (_, k) => row(rnd, `N-${k}`, 1)), 'more.csv');
      const incrementalBefore = refreshCounts.incremental;
      // No wait: the version held answers, marked stale, with the very figures it had.
      const during = await currentFacts(store);
      expect([during.version, during.stale]).toEqual([held.version, true]);
      expect(metrics.getSummary(during, f)).toBe(before);
      await refreshed(store);
      const after = await currentFacts(store);
      expect([after.version > held.version, after.stale, after.facts.size, refreshCounts.incremental]).toEqual([true, undefined, 220, incrementalBefore + 1]);
      // The two figures asked of the version before were computed over the new one before it was served...
      expect(memoSize(store).entries).toBe(2);
      const warmed = metrics.getSummary(after, f);
      expect(memoSize(store).entries).toBe(2);
      // ...and are those of a fresh read.
      dropFacts(store);
      const fresh = await currentFacts(store);
      expect(warmed).toEqual(metrics.getSummary(fresh, f));
      expect(metrics.getBreakdown(after, f, 'platform')).toEqual(metrics.getBreakdown(fresh, f, 'platform'));
      expect(warmed.total).not.toBe(before.total);
    } finally {
      if (waitBefore === undefined) delete process.env.FACTS_WAIT_MS;
      else process.env.FACTS_WAIT_MS = waitBefore;
    }
    await store.close();
  });
});
