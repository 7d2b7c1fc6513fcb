// Referral records for the records view and the API: instants as ISO 8601.
import type { Db } from '@/db/client';
import { getReferralPage, type ReferralSort } from '@/db/queries/referrals';
import type { Filters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';

export function getReferrals(db: Db, filters: Filters, options: { page: number; pageSize: number; sort: string; includeUrls: boolean }) {
  const descending = options.sort.startsWith('-');
  const sort = (descending ? options.sort.slice(1) : options.sort) as ReferralSort;
  const { total, records } = getReferralPage(db, filters, { page: options.page, pageSize: options.pageSize, sort, descending, includeUrls: options.includeUrls });
  const iso = (ms: number | null) => (ms === null ? null : formatInstant(ms));
  return {
    as_of: formatInstant(filters.asOf),
    page: options.page,
    page_size: options.pageSize,
    sort: options.sort,
    total,
    pages: Math.ceil(total / options.pageSize),
    // As known at as_of: a receipt or outcome recorded later does not show yet.
    rows: records.map((r) => {
      const outcomeKnown = r.outcome_at !== null && r.outcome_at <= filters.asOf;
      return {
        ...r,
        referred_at: iso(r.referred_at),
        received_at: r.received_at !== null && r.received_at <= filters.asOf ? iso(r.received_at) : null,
        outcome: outcomeKnown || r.outcome === 'pending' ? r.outcome : 'pending',
        outcome_at: outcomeKnown ? iso(r.outcome_at) : null,
        outcome_reason: outcomeKnown ? r.outcome_reason : null,
        views_at_outcome: outcomeKnown ? r.views_at_outcome : null,
      };
    }),
  };
}
