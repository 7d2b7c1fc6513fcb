// The removal-orders view (/orders): monthly one-hour compliance per
// provider, the persistent-failure rule in force and its flags, responses
// around the deadline, orders not executed, acknowledgement, paused clocks,
// and the escalation list. Figures from lib/metrics; records by row id.
import type { Sources } from '@/lib/sources';
import type { Filters } from '@/lib/filters';
import { may, type Principal } from '@/lib/auth/roles';
import { formatInstant } from '@/lib/instant';
import { getBreakdown, getOrderOversight, getProviderCompliance, getSummary } from '@/lib/metrics';
import { failureSettingsInForce } from '@/lib/metrics/persistent-failure';
import { CHART } from '@/lib/metrics/summary';

export function ordersOf(filters: Filters): Filters {
  return { ...filters, values: { ...filters.values, kind: ['removal_order'] } };
}

export async function getOrdersView({ store, data }: Sources, principal: Principal | null, filters: Filters, options: { pausedLimit: number }) {
  const rule = failureSettingsInForce();
  const compliance = getProviderCompliance(data, filters, rule.settings);
  const oversight = getOrderOversight(data, filters);
  const orders = ordersOf(filters);
  const months = [...new Set(compliance.providers.flatMap((p) => p.months.map((m) => m.month)))].sort();
  // Escalation: flagged providers, furthest below the target first (compliance pooled over their triggering months).
  const escalation = compliance.providers
    .filter((p) => p.flagged)
    .map((p) => ({ key: p.key, name: p.name, triggering_months: p.triggering_months, ...p.triggering_compliance!, below_target_by: rule.settings.target - p.triggering_compliance!.rate! }))
    .sort((a, b) => b.below_target_by - a.below_target_by || a.name.localeCompare(b.name));
  // The paused orders themselves (referral ids) are records: for analysts; others see how many.
  const shownPaused = may(principal, 'records') ? oversight.paused.slice(0, options.pausedLimit) : [];
  const records = await store.referrals.byRowIds(
    shownPaused.map((p) => p.rowId),
    false,
  );
  return {
    as_of: formatInstant(filters.asOf),
    rule,
    compliance,
    months,
    escalation,
    summary: getSummary(data, orders, CHART),
    byProvider: getBreakdown(data, orders, 'platform', CHART).rows,
    oversight,
    paused: {
      total: oversight.paused.length,
      rows: shownPaused.flatMap((p, k) => (records[k] ? [{ ...p, record: records[k] }] : [])),
    },
  };
}

export type OrdersView = Awaited<ReturnType<typeof getOrdersView>>;
