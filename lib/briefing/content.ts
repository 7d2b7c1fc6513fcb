// Everything a briefing shows, from lib/metrics (the figures of the
// dashboard and the API, never a second computation), with the settings
// of small-number suppression.
import type { Db } from '@/db/sqlite/client';
import { getCampaignOverview } from '@/lib/campaigns';
import { getDatabaseStatus } from '@/lib/database-status';
import { filtersInWords, getFilterOptions } from '@/lib/filter-options';
import { describePeriod, previousPeriod, type Filters } from '@/lib/filters';
import { getBreakdown, getProviderCompliance, getSummary, getVolumes } from '@/lib/metrics';
import { CHART } from '@/lib/metrics/summary';
import { inTurn } from '@/lib/metrics/turns';
import { keyFindings } from './findings';

/** Curves on one printed chart: the providers with most referrals. */
export const MAIN_PROVIDERS = 5;

/** The briefing's figures, each computed in a turn of its own (lib/metrics/turns.ts). */
export async function getBriefing(db: Db, filters: Filters, k: number) {
  const orders: Filters = { ...filters, values: { ...filters.values, kind: ['removal_order'] } };
  const previous = previousPeriod(filters);
  const previousOrders = previous && { ...previous, values: { ...previous.values, kind: ['removal_order'] } };
  const summary = await inTurn(() => getSummary(db, filters, CHART));
  const ordersSummary = await inTurn(() => getSummary(db, orders, CHART));
  const providers = [...(await inTurn(() => getBreakdown(db, filters, 'platform', CHART))).rows].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const ordersByProvider = (await inTurn(() => getBreakdown(db, orders, 'platform', CHART))).rows;
  const compliance = await inTurn(() => getProviderCompliance(db, filters));
  const status = getDatabaseStatus(db);
  const period = describePeriod(filters);
  const previousSummary = previous ? await inTurn(() => getSummary(db, previous, CHART)) : null;
  const previousOrdersSummary = previousOrders ? await inTurn(() => getSummary(db, previousOrders, CHART)) : null;
  const volumes = await inTurn(() => ({
    group: getVolumes(db, filters, 'group').rows,
    language: getVolumes(db, filters, 'language').rows,
    platform_type: getVolumes(db, filters, 'platform_type').rows,
  }));
  const campaigns = await inTurn(() => getCampaignOverview(db, filters));
  const findings = keyFindings({
    k,
    asOf: filters.asOf,
    period,
    previousPeriod: previous ? describePeriod(previous) : null,
    all: { current: summary, previous: previousSummary },
    orders: { current: ordersSummary, previous: previousOrdersSummary },
    providers,
    flagged: compliance.flagged,
    failureTarget: compliance.settings.target,
  });
  return {
    k,
    period,
    filters: filtersInWords(filters, getFilterOptions(db)),
    synthetic: status.synthetic,
    source: { lastBatch: status.lastBatch, total: status.total, firstReferredAt: status.firstReferredAt, lastReferredAt: status.lastReferredAt },
    findings,
    summary,
    ordersSummary,
    providers,
    // Curves only where a rate may be shown (at least k referrals).
    mainProviders: providers.filter((p) => p.n >= k).slice(0, MAIN_PROVIDERS),
    ordersByProvider,
    compliance,
    volumes,
    campaigns,
  };
}

export type Briefing = Awaited<ReturnType<typeof getBriefing>>;
