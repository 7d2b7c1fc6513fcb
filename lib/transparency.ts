// The annual transparency report of a competent authority (Regulation (EU)
// 2021/784, Art. 8): removal orders issued by unit, what became of them and
// why, one-hour compliance by provider, and the non-binding referrals beside
// them. Every figure comes with the link to the records that make it.
import { NO_REASON_GIVEN, type Status } from '@/db/codes';
import type { FilterIssue, Filters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';
import { recordsLink } from '@/lib/referrals';
import { may, type Principal } from '@/lib/auth/roles';
import type { FactSnapshot } from '@/lib/metrics/fact-store';
import { inTurn } from '@/lib/metrics/turns';
import { getBreakdown, getOrderOversight, getSummary, type BreakdownRow, type Summary } from '@/lib/metrics';

const FIGURES = { kmPoints: 2 } as const;

/** A transparency report's period is its year: from and to are refused (null when neither is given). */
export function transparencyPeriodProblem(filters: Filters): FilterIssue | null {
  if (!filters.from && !filters.to) return null;
  return { param: filters.from ? 'from' : 'to', message: 'the year sets the period: leave out from and to' };
}

/** The calendar year as the period of the filters (UTC days). */
export function yearFilters(filters: Filters, year: number): Filters {
  return { ...filters, from: `${year}-01-01`, to: `${year}-12-31` };
}

interface Counted {
  count: number;
  records: string;
}

function outcomes(filters: Filters, row: Pick<BreakdownRow, 'total' | 'actioned' | 'declined' | 'open' | 'excluded'>, narrow: { kind: string; unit?: string; platform?: string }) {
  const c = (count: number, status?: Status): Counted => ({ count, records: recordsLink(filters, { ...narrow, status }) });
  return {
    issued: c(row.total),
    removed_or_disabled: c(row.actioned, 'actioned'),
    not_executed: c(row.declined, 'declined'),
    still_open: c(row.open, 'open'),
    already_unavailable: c(row.excluded, 'excluded'),
  };
}

/**
 * The report as `principal` may see it: the links to the records behind
 * each count only for those who may open records (empty otherwise), decided
 * here where the report is read, for the page, its PDF and the API alike.
 */
export async function getTransparencyReport(data: FactSnapshot, filters: Filters, year: number, principal: Principal | null) {
  const full = await fullReport(data, filters, year);
  if (may(principal, 'records')) return full;
  return JSON.parse(JSON.stringify(full), (key, value) => (key === 'records' ? '' : value)) as typeof full;
}

/** The report's figures, each computed in a turn of its own (lib/metrics/turns.ts). */
async function fullReport(data: FactSnapshot, filters: Filters, year: number) {
  const period = yearFilters(filters, year);
  const orders: Filters = { ...period, values: { ...period.values, kind: ['removal_order'] } };
  const referrals: Filters = { ...period, values: { ...period.values, kind: ['referral'] } };
  const order = { kind: 'removal_order' };
  const ordersSummary = await inTurn(() => getSummary(data, orders, FIGURES));
  const referralSummary = await inTurn(() => getSummary(data, referrals, FIGURES));
  /** Compliance at a deadline, without its `hours`. */
  const within = (s: Summary, h: number) => {
    const { eligible, on_time, rate, lower, upper } = s.compliance.find((c) => c.hours === h)!;
    return { eligible, on_time, rate, lower, upper };
  };
  const referralsByProvider = new Map((await inTurn(() => getBreakdown(data, referrals, 'platform', FIGURES))).rows.map((r) => [r.key, r]));
  const byUnit = await inTurn(() => getBreakdown(data, orders, 'unit', FIGURES));
  const oversight = await inTurn(() => getOrderOversight(data, period));
  const byProvider = await inTurn(() => getBreakdown(data, orders, 'platform', FIGURES));
  return {
    year,
    as_of: formatInstant(period.asOf),
    period: { from: period.from, to: period.to },
    removal_orders: outcomes(orders, ordersSummary, order),
    by_unit: byUnit.rows.map((r) => ({ key: r.key, name: r.name, ...outcomes(orders, r, { ...order, unit: r.key }) })),
    not_executed_by_reason: oversight.not_executed.map((r) => ({
      reason: r.reason,
      count: r.count,
      records: recordsLink(orders, { ...order, status: 'declined', reason: r.reason ?? NO_REASON_GIVEN }),
    })),
    by_provider: byProvider.rows.map((r) => {
      const ref = referralsByProvider.get(r.key);
      return {
        key: r.key,
        name: r.name,
        ...outcomes(orders, r, { ...order, platform: r.key }),
        within_1h: within(r, 1),
        referrals: ref ? { count: ref.total, records: recordsLink(referrals, { kind: 'referral', platform: r.key }), removal_rate: ref.removal_rate } : null,
      };
    }),
    referrals: {
      ...outcomes(referrals, referralSummary, { kind: 'referral' }),
      removal_rate: referralSummary.removal_rate,
      removal_rate_lower: referralSummary.removal_rate_lower,
      removal_rate_upper: referralSummary.removal_rate_upper,
      within_24h: within(referralSummary, 24),
    },
    orders_within_1h: within(ordersSummary, 1),
  };
}

export type TransparencyReport = Awaited<ReturnType<typeof getTransparencyReport>>;
