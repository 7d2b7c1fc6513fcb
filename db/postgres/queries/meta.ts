// Facts about the database as a whole (its data version, that it holds the synthetic demo data set, …), as key and text value.
import { value, type Queryable } from '../sql';

export async function setMeta(q: Queryable, key: string, text: string): Promise<void> {
  await q.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, text]);
}

export const getMeta = async (q: Queryable, key: string) => (await value<string>(q, 'SELECT value FROM meta WHERE key = $1', [key])) ?? null;
