// Which engine serves, chosen once from configuration (the environment).
// Without DATABASE_URL the embedded SQLite file at DATABASE_PATH serves:
// the README's first command needs no database server.
import path from 'node:path';
import { StoreOpenError } from './store';

export const DEFAULT_DATABASE_PATH = 'data/takedown.db';

export type StoreConfig = { engine: 'sqlite'; path: string };

export function storeConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
    throw new StoreOpenError(
      scheme === 'postgres' || scheme === 'postgresql'
        ? 'DATABASE_URL names a PostgreSQL server, and this version serves only the embedded SQLite file: unset DATABASE_URL (DATABASE_PATH chooses the file).'
        : `DATABASE_URL must be a postgres:// address, not ${scheme ? `${scheme}:` : 'this text'}; unset it to use the embedded SQLite file (DATABASE_PATH).`,
    );
  }
  return { engine: 'sqlite', path: env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH };
}

/** Where the app keeps files beside its data (browser uploads waiting for their import): the SQLite file's folder. */
export function dataFolder(config: StoreConfig = storeConfig()): string {
  return path.dirname(path.resolve(/*turbopackIgnore: true*/ config.path));
}
