// Which engine serves, chosen once from configuration (the environment).
// DATABASE_URL=postgres://… selects PostgreSQL (several app servers on one
// database); without it the embedded SQLite file at DATABASE_PATH serves:
// the README's first command needs no database server.
import path from 'node:path';
import { StoreOpenError } from './store';

export const DEFAULT_DATABASE_PATH = 'data/takedown.db';

export type StoreConfig = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

export function storeConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
    if (scheme === 'postgres' || scheme === 'postgresql') return { engine: 'postgres', url };
    throw new StoreOpenError(
      `DATABASE_URL must be a postgres:// address (postgres://user:password@host:5432/database), not ${scheme ? `a ${scheme}: address` : 'this text'}; unset it to use the embedded SQLite file (DATABASE_PATH).`,
    );
  }
  return { engine: 'sqlite', path: env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH };
}

/**
 * Where the app keeps files beside its data (browser uploads waiting for
 * their import): the SQLite file's folder, or DATA_DIR (default data/) of
 * each app server on PostgreSQL.
 */
export function dataFolder(config: StoreConfig = storeConfig(), env: NodeJS.ProcessEnv = process.env): string {
  if (config.engine === 'postgres') return path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR?.trim() || 'data');
  return path.dirname(path.resolve(/*turbopackIgnore: true*/ config.path));
}

/** A PostgreSQL address without its password, for messages and the status page. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'the PostgreSQL server of DATABASE_URL';
  }
}

/** Where the configured data lives, in words (never a password). */
export function storeLocation(config: StoreConfig): string {
  return config.engine === 'postgres' ? describeUrl(config.url) : config.path;
}
