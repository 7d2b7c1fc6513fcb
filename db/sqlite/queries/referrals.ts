// Referral records under criteria: a page with the total count, every
// match one at a time (exports), or the records with given row ids.
import { type ReferralSort } from '../../codes';
import type { RecordCriteria, RecordOrder, ReferralRecord } from '../../rows';
import type { Db } from '../client';
import { filterWhere } from '../../filter-sql';

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

/** The columns of a record and the joins that name its platform and group; the URL (and the row id) only when asked for. */
function recordColumns(includeUrl: boolean, rowId = false): string {
  return `SELECT ${rowId ? 'r.id AS row_id, ' : ''}r.referral_id, r.kind, r.unit, r.campaign, r.platform, p.name AS platform_name, r.group_code AS "group", g.name AS group_name,
              r.language, r.content_type, ${includeUrl ? 'r.url,' : ''} r.content_hash, r.referred_at, r.received_at, r.outcome, r.outcome_at,
              r.outcome_reason, r.clock_paused_hours, r.views_at_referral, r.views_at_outcome
       FROM referrals r JOIN platforms p ON p.code = r.platform JOIN groups g ON g.code = r.group_code`;
}

function selectSql(criteria: RecordCriteria, request: RecordOrder): { sql: string; params: (string | number)[] } {
  const { where, params } = filterWhere(criteria);
  const direction = request.descending ? 'DESC' : 'ASC';
  return {
    sql: `${recordColumns(request.includeUrls)}
       WHERE ${where}
       ORDER BY ${SORT_COLUMN[request.sort]} ${direction} NULLS LAST, r.id ${direction}`,
    params,
  };
}

export function getReferralPage(
  db: Db,
  criteria: RecordCriteria,
  request: RecordOrder & { page: number; pageSize: number },
): { total: number; records: ReferralRecord[] } {
  const { where, params } = filterWhere(criteria);
  const total = db.$client.prepare(`SELECT count(*) FROM referrals r WHERE ${where}`).pluck().get(...params) as number;
  const select = selectSql(criteria, request);
  const records = db.$client
    .prepare(`${select.sql} LIMIT ? OFFSET ?`)
    .all(...select.params, request.pageSize, (request.page - 1) * request.pageSize) as ReferralRecord[];
  return { total, records };
}

/** Every matching record, one at a time (exports: memory stays flat whatever the count). */
export function iterateReferrals(db: Db, criteria: RecordCriteria, request: RecordOrder): IterableIterator<ReferralRecord> {
  const select = selectSql(criteria, request);
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
