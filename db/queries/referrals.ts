// One page of referral records under the filters, with the total count.
import type { Db } from '../client';
import type { Filters } from '@/lib/filters';
import { filterWhere, type RecordSelection } from './filter-sql';

export const REFERRAL_SORTS = ['referred_at', 'outcome_at', 'received_at', 'platform', 'group', 'language', 'kind', 'outcome', 'referral_id'] as const;
export type ReferralSort = (typeof REFERRAL_SORTS)[number];

const SORT_COLUMN: Record<ReferralSort, string> = {
  referred_at: 'r.referred_at',
  outcome_at: 'r.outcome_at',
  received_at: 'r.received_at',
  platform: 'r.platform',
  group: 'r.group_code',
  language: 'r.language',
  kind: 'r.kind',
  outcome: 'r.outcome',
  referral_id: 'r.referral_id',
};

export interface ReferralRecord {
  referral_id: string;
  kind: string;
  unit: string;
  campaign: string | null;
  platform: string;
  platform_name: string;
  group: string;
  group_name: string;
  language: string;
  content_type: string;
  url?: string;
  content_hash: string | null;
  referred_at: number;
  received_at: number | null;
  outcome: string;
  outcome_at: number | null;
  outcome_reason: string | null;
  clock_paused_hours: number | null;
  views_at_referral: number | null;
  views_at_outcome: number | null;
}

export interface ReferralPageRequest extends RecordSelection {
  page: number;
  pageSize: number;
  sort: ReferralSort;
  descending: boolean;
  includeUrls: boolean;
}

/** The columns of a record and the joins that name its platform and group; the URL (and the row id) only when asked for. */
function recordColumns(includeUrl: boolean, rowId = false): string {
  return `SELECT ${rowId ? 'r.id AS row_id, ' : ''}r.referral_id, r.kind, r.unit, r.campaign, r.platform, p.name AS platform_name, r.group_code AS "group", g.name AS group_name,
              r.language, r.content_type, ${includeUrl ? 'r.url,' : ''} r.content_hash, r.referred_at, r.received_at, r.outcome, r.outcome_at,
              r.outcome_reason, r.clock_paused_hours, r.views_at_referral, r.views_at_outcome
       FROM referrals r JOIN platforms p ON p.code = r.platform JOIN groups g ON g.code = r.group_code`;
}

function selectSql(filters: Filters, request: Omit<ReferralPageRequest, 'page' | 'pageSize'>): { sql: string; params: (string | number)[] } {
  const { where, params } = filterWhere(filters, request);
  const direction = request.descending ? 'DESC' : 'ASC';
  return {
    sql: `${recordColumns(request.includeUrls)}
       WHERE ${where}
       ORDER BY ${SORT_COLUMN[request.sort]} ${direction} NULLS LAST, r.id ${direction}`,
    params,
  };
}

export function getReferralPage(db: Db, filters: Filters, request: ReferralPageRequest): { total: number; records: ReferralRecord[] } {
  const { where, params } = filterWhere(filters, request);
  const total = db.$client.prepare(`SELECT count(*) FROM referrals r WHERE ${where}`).pluck().get(...params) as number;
  const select = selectSql(filters, request);
  const records = db.$client
    .prepare(`${select.sql} LIMIT ? OFFSET ?`)
    .all(...select.params, request.pageSize, (request.page - 1) * request.pageSize) as ReferralRecord[];
  return { total, records };
}

/** Every matching record, one at a time (exports: memory stays flat whatever the count). */
export function iterateReferrals(db: Db, filters: Filters, request: Omit<ReferralPageRequest, 'page' | 'pageSize'>): IterableIterator<ReferralRecord> {
  const select = selectSql(filters, request);
  return db.$client.prepare(select.sql).iterate(...select.params) as IterableIterator<ReferralRecord>;
}

/** The records with these row ids, aligned with the ids given (null where a row no longer exists). */
export function getReferralsByRowId(db: Db, ids: readonly number[], includeUrls: boolean): (ReferralRecord | null)[] {
  if (ids.length === 0) return [];
  const found = new Map<number, ReferralRecord>();
  // SQLite binds at most 32,766 parameters: ask in slices.
  for (let k = 0; k < ids.length; k += 1000) {
    const slice = ids.slice(k, k + 1000);
    const rows = db.$client
      .prepare(`${recordColumns(includeUrls, true)} WHERE r.id IN (${slice.map(() => '?').join(',')})`)
      .all(...slice) as (ReferralRecord & { row_id: number })[];
    for (const { row_id, ...record } of rows) found.set(row_id, record);
  }
  return ids.map((id) => found.get(id) ?? null);
}
