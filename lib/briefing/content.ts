// Everything a briefing shows, from lib/metrics (the figures of the
// dashboard and the API, never a second computation), with the settings
// of small-number suppression.
import type { Sources } from '@/lib/sources';
import { getCampaignOverview } from '@/lib/campaigns';
import { getDatabaseStatus } from '@/lib/database-status';
import { filtersInWords, getFilterOptions } from '@/lib/filter-options';
import { describePeriod, previousPeriod, type Filters } from '@/lib/filters';
import { getBreakdown, getProviderCompliance, getSummary, getVolumes } from '@/lib/metrics';
import { CHART } from '@/lib/metrics/summary';
import { inTurn, nextTurn } from '@/lib/metrics/turns';
import { keyFindings } from './findings';

/** Curves on one printed chart: the providers with most referrals. */
export const MAIN_PROVIDERS = 5;

/** The briefing's figures, each computed in a turn of its own (lib/metrics/turns.ts). */
export async function getBriefing(sources: Sources, filters: Filters, k: number) {
  const { data } = sources;
  const orders: Filters = { ...filters, values: { ...filters.values, kind: ['removal_order'] } };
  const previous = previousPeriod(filters);
  const previousOrders = previous && { ...previous, values: { ...previous.values, kind: ['removal_order'] } };
  const summary = await inTurn(() => getSummary(data, filters, CHART));
  const ordersSummary = await inTurn(() => getSummary(data, orders, CHART));
  const providers = [...(await inTurn(() => getBreakdown(data, filters, 'platform', CHART))).rows].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const ordersByProvider = (await inTurn(() => getBreakdown(data, orders, 'platform', CHART))).rows;
  const compliance = await inTurn(() => getProviderCompliance(data, filters));
  const status = await getDatabaseStatus(sources);
  const period = describePeriod(filters);
  const previousSummary = previous ? await inTurn(() => getSummary(data, previous, CHART)) : null;
  const previousOrdersSummary = previousOrders ? await inTurn(() => getSummary(data, previousOrders, CHART)) : null;
  const volumes = await inTurn(() => ({
    group: getVolumes(data, filters, 'group').rows,
    language: getVolumes(data, filters, 'language').rows,
    platform_type: getVolumes(data, filters, 'platform_type').rows,
  }));
  await nextTurn();
  const campaigns = await getCampaignOverview(sources, filters);
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
    filters: filtersInWords(filters, getFilterOptions(data)),
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
