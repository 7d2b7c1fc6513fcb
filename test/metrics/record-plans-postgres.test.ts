// The records list on PostgreSQL: its default order (newest first, ties by
// id) is read backwards from one index and stops at the page, instead of
// sorting every row (1.1 s at 1,000,000 rows with an index on referred_at
// alone, bench:metrics); a month's records come from the same index.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { referralPageSql } from '@/db/postgres/queries/referrals';
import type { Store } from '@/db/store';
import { seedDemo } from '@/lib/demo/seed';
import { DEMO_END } from '@/lib/demo/generator';
import { parseFilters } from '@/lib/filters';
import { recordCriteria } from '@/lib/referrals';
import { knowUrl, sqlRows } from '../helpers/engines';
import { freshPostgresStore, POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from '../helpers/postgres';

let store: Store;
let url = '';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  Plans?: PlanNode[];
}

/** Every node of the plan of `sql`, outermost first, as "Node Type[ direction][ (index)]". */
async function planOf(sql: string, params: unknown[]): Promise<string[]> {
  const [row] = await sqlRows(store, `EXPLAIN (FORMAT JSON) ${sql}`, params);
  const nodes: string[] = [];
  const visit = (n: PlanNode) => {
    nodes.push(`${n['Node Type']}${n['Scan Direction'] === 'Backward' ? ' backward' : ''}${n['Index Name'] ? ` (${n['Index Name']})` : ''}`);
    n.Plans?.forEach(visit);
  };
  visit((row['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan);
  return nodes;
}

const page = (query: string, order: { sort?: 'referred_at' | 'outcome_at'; page?: number } = {}) =>
  referralPageSql(recordCriteria(parseFilters(new URLSearchParams(`as_of=${new Date(DEMO_END).toISOString()}&${query}`)).filters), {
    sort: order.sort ?? 'referred_at',
    descending: true,
    includeUrls: false,
    page: order.page ?? 1,
    pageSize: 50,
  });

describe.skipIf(!POSTGRES_ADMIN_URL)(`the records list's plans (PostgreSQL)${POSTGRES_ADMIN_URL ? '' : `: skipped, ${POSTGRES_SKIPPED}`}`, () => {
  beforeAll(async () => {
    const made = await freshPostgresStore();
    url = made.url;
    store = knowUrl(made.store, made.url);
    await seedDemo(store, { rows: 30_000, seed: 3 });
    await sqlRows(store, 'ANALYZE referrals');
  }, 120_000);

  it('newest first: a backward scan of (referred_at, id) under the page limit, no sort', async () => {
    for (const sql of [page(''), page('', { page: 20 }), page('platform=vidora')]) {
      const nodes = await planOf(sql.select, sql.selectParams);
      expect(nodes[0]).toBe('Limit');
      expect(nodes).toContain('Index Scan backward (referrals_referred_at_id)');
      expect(nodes.filter((n) => /Sort/.test(n))).toEqual([]);
    }
  });

  it("one month's records and their count come from the same index", async () => {
    const sql = page('from=2026-06-01&to=2026-06-30');
    expect((await planOf(sql.select, sql.selectParams)).some((n) => n.endsWith('(referrals_referred_at_id)'))).toBe(true);
    expect((await planOf(sql.count, sql.params)).some((n) => n.endsWith('(referrals_referred_at_id)'))).toBe(true);
  });

  it('the same records in the same order as the plan without the index would give', async () => {
    const sql = page('', { page: 3 });
    const client = new pg.Client(url);
    await client.connect();
    try {
      const viaIndex = (await client.query(sql.select, sql.selectParams)).rows;
      await client.query('SET enable_indexscan = off');
      await client.query('SET enable_bitmapscan = off');
      expect((await client.query(`EXPLAIN ${sql.select}`, sql.selectParams)).rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Sort/);
      const sorted = (await client.query(sql.select, sql.selectParams)).rows;
      expect(viaIndex.map((r) => r.referral_id)).toEqual(sorted.map((r) => r.referral_id));
      expect(viaIndex).toHaveLength(50);
    } finally {
      await client.end();
    }
  });
});
