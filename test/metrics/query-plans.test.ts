// Issue 3: no GROUP BY on a dimension or time bucket needs a temporary
// B-tree. Metrics group the fact columns in memory; the SQL that remains
// is checked here with EXPLAIN QUERY PLAN.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryDb } from '../helpers/db';

const plan = (sql: string) => {
  const db = memoryDb();
  return (db.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
};

describe('query plans', () => {
  it('the dictionary of languages is read from an index, without a temporary B-tree', () => {
    const detail = plan('SELECT DISTINCT language FROM referrals ORDER BY language');
    expect(detail).toMatch(/COVERING INDEX referrals_language_referred_at/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it.each(['platform', 'group_code', 'language'])('grouping by %s uses its index', (column) => {
    expect(plan(`SELECT ${column}, count(*) FROM referrals GROUP BY ${column}`)).not.toMatch(/TEMP B-TREE/);
  });

  it('no query in db/sqlite/queries groups rows in SQL (grouping happens on the fact columns)', () => {
    const dir = path.join(process.cwd(), 'db', 'sqlite', 'queries');
    const offenders = fs.readdirSync(dir).filter((f) => /GROUP BY/i.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
