// What every PostgreSQL query here runs on: the pool (each statement its own
// transaction) or one connection inside a transaction.
import type pg from 'pg';

export type Queryable = pg.Pool | pg.PoolClient;

/** SQL written with `?` placeholders (db/filter-sql.ts) as PostgreSQL's $1, $2, … */
export function numbered(text: string, from = 1): string {
  let n = from - 1;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** The rows of a query. */
export async function rows<T>(q: Queryable, text: string, params: unknown[] = []): Promise<T[]> {
  return (await q.query(text, params)).rows as T[];
}

/** The first row of a query, or undefined. */
export async function first<T>(q: Queryable, text: string, params: unknown[] = []): Promise<T | undefined> {
  return (await q.query(text, params)).rows[0] as T | undefined;
}

/** The one value of a one-row, one-column query (undefined without a row). */
export async function value<T>(q: Queryable, text: string, params: unknown[] = []): Promise<T | undefined> {
  const result = await q.query({ text, values: params, rowMode: 'array' });
  return (result.rows[0] as unknown[] | undefined)?.[0] as T | undefined;
}

/** How many rows a statement changed. */
export async function changed(q: Queryable, text: string, params: unknown[] = []): Promise<number> {
  return (await q.query(text, params)).rowCount ?? 0;
}

/** Rows fetched from a cursor at a time: memory stays flat whatever the count. */
const FETCH_ROWS = 2000;

/**
 * Every row of a query, one at a time, from a cursor on a connection of its
 * own (one snapshot). A consumer that stops early closes it and hands the
 * connection back.
 */
export async function* cursor<T>(connect: () => Promise<pg.PoolClient>, text: string, params: unknown[] = []): AsyncGenerator<T> {
  const client = await connect();
  let failed = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`DECLARE rows_out NO SCROLL CURSOR FOR ${text}`, params);
    for (;;) {
      const batch = (await client.query(`FETCH ${FETCH_ROWS} FROM rows_out`)).rows as T[];
      for (const row of batch) yield row;
      if (batch.length < FETCH_ROWS) break;
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await client.query(failed ? 'ROLLBACK' : 'COMMIT').catch(() => undefined);
    // A connection whose transaction could not end cleanly is not handed to anyone else.
    client.release(failed);
  }
}
