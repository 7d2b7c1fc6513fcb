// Statements prepared once per connection: requests run the same few again
// and again, and preparing costs more than running them.
import type Database from 'better-sqlite3';
import type { Db } from './client';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function stmt(db: Db, sql: string): Database.Statement {
  let statements = cache.get(db.$client);
  if (!statements) cache.set(db.$client, (statements = new Map()));
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.$client.prepare(sql)));
  return s;
}
