// Referral records for the records view, the API and the CSV export: as
// known at as_of (a receipt or outcome recorded later does not show yet),
// instants as ISO 8601. Records carry URLs of live content and who
// referred what: every function here checks the principal it is given
// (analysts and above), whoever calls it.
import type { Store } from '@/db/store';
import type { Sources } from '@/lib/sources';
import { NO_REASON_GIVEN, REFERRAL_SORTS, type ReferralSort, type Status } from '@/db/codes';
import type { RecordCriteria, ReferralRecord } from '@/db/rows';
import { csvPiecesOf, neutraliseCell } from '@/lib/csv';
import { assertMay, type Principal } from '@/lib/auth/roles';

export { neutraliseCell };
import { getOldestOpen } from '@/lib/metrics';
import { DIMENSIONS, referredRange, type Filters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';

export { NO_REASON_GIVEN, REFERRAL_SORTS };

/** Narrowing of the records beyond the filters: status at as_of, and outcome_reason (NO_REASON_GIVEN: none given). */
export interface RecordSelection {
  status?: Status;
  reason?: string;
}

export interface ReferralQuery extends RecordSelection {
  sort: string;
}

/** The store's criteria for the records under these filters, narrowed by the selection. */
export function recordCriteria(filters: Filters, selection: RecordSelection = {}): RecordCriteria {
  const { start, end } = referredRange(filters);
  return { asOf: filters.asOf, referredFrom: start, referredBefore: end, values: filters.values, status: selection.status, reason: selection.reason };
}

function parseSort(sort: string): { sort: ReferralSort; descending: boolean } {
  const descending = sort.startsWith('-');
  return { sort: (descending ? sort.slice(1) : sort) as ReferralSort, descending };
}

export function asKnownAt(r: ReferralRecord, asOf: number) {
  const iso = (ms: number | null) => (ms === null ? null : formatInstant(ms));
  const outcomeKnown = r.outcome_at !== null && r.outcome_at <= asOf;
  return {
    ...r,
    referred_at: iso(r.referred_at),
    received_at: r.received_at !== null && r.received_at <= asOf ? iso(r.received_at) : null,
    outcome: outcomeKnown || r.outcome === 'pending' ? r.outcome : 'pending',
    outcome_at: outcomeKnown ? iso(r.outcome_at) : null,
    outcome_reason: outcomeKnown ? r.outcome_reason : null,
    views_at_outcome: outcomeKnown ? r.views_at_outcome : null,
  };
}

export type KnownReferral = ReturnType<typeof asKnownAt>;

export async function getReferrals(store: Store, principal: Principal | null, filters: Filters, options: ReferralQuery & { page: number; pageSize: number }) {
  assertMay(principal, 'records');
  const { sort, descending } = parseSort(options.sort);
  const { total, records } = await store.referrals.page(recordCriteria(filters, options), { page: options.page, pageSize: options.pageSize, sort, descending, includeUrls: true });
  return {
    as_of: formatInstant(filters.asOf),
    page: options.page,
    page_size: options.pageSize,
    sort: options.sort,
    total,
    pages: Math.ceil(total / options.pageSize),
    rows: records.map((r) => asKnownAt(r, filters.asOf)),
  };
}

const CSV_COLUMNS = [
  'referral_id',
  'kind',
  'unit',
  'campaign',
  'platform',
  'platform_name',
  'group',
  'group_name',
  'language',
  'content_type',
  'url',
  'content_hash',
  'referred_at',
  'received_at',
  'outcome',
  'outcome_at',
  'outcome_reason',
  'clock_paused_hours',
  'views_at_referral',
  'views_at_outcome',
] as const;

/** The records as CSV (README: columns), in pieces for a streamed download; memory stays flat whatever the count. */
export function referralsCsv(store: Store, principal: Principal | null, filters: Filters, options: ReferralQuery): AsyncGenerator<string> {
  assertMay(principal, 'exports');
  assertMay(principal, 'records');
  const { sort, descending } = parseSort(options.sort);
  const columns = CSV_COLUMNS;
  return csvPiecesOf(columns, store.referrals.iterate(recordCriteria(filters, options), { sort, descending, includeUrls: true }), (record) => {
    const row = asKnownAt(record, filters.asOf) as Record<string, string | number | null>;
    return columns.map((c) => row[c]);
  });
}

/** The referrals still online at as_of, oldest first, with their exposure in hours (METRICS.md), and how many are open. */
export async function getOldestOpenReferrals({ store, data }: Sources, principal: Principal | null, filters: Filters, options: { limit: number }) {
  assertMay(principal, 'records');
  const open = getOldestOpen(data, filters, options.limit);
  const records = await store.referrals.byRowIds(
    open.rows.map((r) => r.rowId),
    true,
  );
  return {
    total: open.total,
    rows: records.flatMap((r, k) => (r ? [{ ...asKnownAt(r, filters.asOf), exposure_hours: open.rows[k].exposure_hours }] : [])),
  };
}

/** The records view under these filters, narrowed as given: the records that make a figure. */
export function recordsLink(filters: Filters, narrow: { kind?: string; unit?: string; platform?: string; status?: Status; reason?: string } = {}): string {
  const q = new URLSearchParams();
  if (filters.from) q.set('from', filters.from);
  if (filters.to) q.set('to', filters.to);
  q.set('as_of', formatInstant(filters.asOf));
  for (const d of DIMENSIONS) if (filters.values[d].length) q.set(d, filters.values[d].join(','));
  for (const [k, v] of Object.entries(narrow)) if (v) q.set(k, v);
  return `/records?${q}`;
}
