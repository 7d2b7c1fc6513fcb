// Referral records under criteria: a page with the total count, every
// match one at a time (exports, through a cursor), or the records with given row ids.
import type pg from 'pg';
import type { ReferralSort } from '../../codes';
import { filterWhere } from '../../filter-sql';
import type { RecordCriteria, RecordOrder, ReferralRecord } from '../../rows';
import { cursor, numbered, rows, value, type Queryable } from '../sql';

// Text in code-point order (COLLATE "C"), as SQLite compares it: the database's own collation might sort otherwise.
const SORT_COLUMN: Record<ReferralSort, string> = {
  referred_at: 'r.referred_at',
  outcome_at: 'r.outcome_at',
  received_at: 'r.received_at',
  platform: 'r.platform COLLATE "C"',
  group: 'r.group_code COLLATE "C"',
  language: 'r.language COLLATE "C"',
  kind: 'r.kind COLLATE "C"',
  outcome: 'r.outcome COLLATE "C"',
  referral_id: 'r.referral_id COLLATE "C"',
};

/** The columns of a record and the joins that name its platform and group; the URL (and the row id) only when asked for. */
function recordColumns(includeUrl: boolean, rowId = false): string {
  return `SELECT ${rowId ? 'r.id AS row_id, ' : ''}r.referral_id, r.kind, r.unit, r.campaign, r.platform, p.name AS platform_name, r.group_code AS "group", g.name AS group_name,
              r.language, r.content_type, ${includeUrl ? 'r.url,' : ''} r.content_hash, r.referred_at, r.received_at, r.outcome, r.outcome_at,
              r.outcome_reason, r.clock_paused_hours, r.views_at_referral, r.views_at_outcome
       FROM referrals r JOIN platforms p ON p.code = r.platform JOIN groups g ON g.code = r.group_code`;
}

// Nulls go last either way, as on SQLite; said only where a column can be null, so that an index
// read backwards (which gives nulls first) still serves a descending order of a NOT NULL column.
const NULLABLE = new Set<ReferralSort>(['outcome_at', 'received_at']);

function selectSql(criteria: RecordCriteria, request: RecordOrder): { sql: string; params: (string | number)[] } {
  const { where, params } = filterWhere(criteria);
  const direction = request.descending ? 'DESC' : 'ASC';
  return {
    sql: numbered(`${recordColumns(request.includeUrls)}
       WHERE ${where}
       ORDER BY ${SORT_COLUMN[request.sort]} ${direction}${NULLABLE.has(request.sort) ? ' NULLS LAST' : ''}, r.id ${direction}`),
    params,
  };
}

/** The two statements of a page of records, its count and its rows (exported for bench:metrics, which shows their plans). */
export function referralPageSql(criteria: RecordCriteria, request: RecordOrder & { page: number; pageSize: number }): { count: string; select: string; params: (string | number)[]; selectParams: (string | number)[] } {
  const { where, params } = filterWhere(criteria);
  const select = selectSql(criteria, request);
  const n = select.params.length;
  return {
    count: numbered(`SELECT count(*) FROM referrals r WHERE ${where}`),
    params,
    select: `${select.sql} LIMIT $${n + 1} OFFSET $${n + 2}`,
    selectParams: [...select.params, request.pageSize, (request.page - 1) * request.pageSize],
  };
}

export async function getReferralPage(
  q: Queryable,
  criteria: RecordCriteria,
  request: RecordOrder & { page: number; pageSize: number },
): Promise<{ total: number; records: ReferralRecord[] }> {
  const sql = referralPageSql(criteria, request);
  const total = (await value<number>(q, sql.count, sql.params)) ?? 0;
  const records = await rows<ReferralRecord>(q, sql.select, sql.selectParams);
  return { total, records };
}

/** Every matching record, one at a time, from a cursor (exports: memory stays flat whatever the count). */
export function iterateReferrals(connect: () => Promise<pg.PoolClient>, criteria: RecordCriteria, request: RecordOrder): AsyncGenerator<ReferralRecord> {
  const select = selectSql(criteria, request);
  return cursor<ReferralRecord>(connect, select.sql, select.params);
}

/** The records with these row ids, aligned with the ids given (null where a row no longer exists). */
export async function getReferralsByRowId(q: Queryable, ids: readonly number[], includeUrls: boolean): Promise<(ReferralRecord | null)[]> {
  if (ids.length === 0) return [];
  const found = new Map<number, ReferralRecord>();
  for (const { row_id, ...record } of await rows<ReferralRecord & { row_id: number }>(q, `${recordColumns(includeUrls, true)} WHERE r.id = ANY($1::bigint[])`, [ids]))
    found.set(row_id, record);
  return ids.map((id) => found.get(id) ?? null);
}
