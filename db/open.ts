// Opening the store: the engine is chosen once, from configuration
// (db/config.ts), and the app shares one store per process.
import { storeConfig, type StoreConfig } from './config';
import { restorePostgres } from './postgres/backup';
import { PostgresStore } from './postgres/store';
import { restoreSqlite } from './sqlite/backup';
import { SqliteStore } from './sqlite/store';
import type { BackupCheck, Store } from './store';

export interface OpenOptions {
  /** Apply pending migrations: by default on SQLite (one file, one app); never by default on PostgreSQL (npm run db:migrate, as several servers share it). */
  migrate?: boolean;
  /** SQLite only: open the file read-only. */
  readonly?: boolean;
}

export function openStore(config: StoreConfig = storeConfig(), options: OpenOptions = {}): Store {
  switch (config.engine) {
    case 'sqlite':
      return SqliteStore.open(config.path, options);
    case 'postgres':
      return PostgresStore.open(config.url, { migrate: options.migrate ?? false });
  }
}

/**
 * Applies the pending migrations of the configured database (npm run
 * db:migrate) and says where; StoreOpenError in words when it cannot (a
 * foreign database, a server that does not answer).
 */
export async function migrateStore(config: StoreConfig = storeConfig()): Promise<string> {
  switch (config.engine) {
    case 'sqlite': {
      const store = SqliteStore.open(config.path, { migrate: true });
      await store.close();
      return store.location;
    }
    case 'postgres': {
      const store = PostgresStore.open(config.url, { migrate: true, poolSize: 1 });
      try {
        await store.facts.mark();
      } finally {
        await store.close();
      }
      return store.location;
    }
  }
}

/** A fresh in-memory store with every migration applied (tests, one-off tools). */
export function memoryStore(): Store {
  return SqliteStore.open(':memory:');
}

/** Replaces the data of the configured database with the backup at `source`, after checking the backup. */
export function restoreStore(source: string, config: StoreConfig = storeConfig()): Promise<BackupCheck> {
  switch (config.engine) {
    case 'sqlite':
      return restoreSqlite(source, config.path);
    case 'postgres':
      return restorePostgres(source, config.url);
  }
}

/** Checks a backup file without restoring it. */
export { checkBackupFile } from './sqlite/backup';

const shared = globalThis as unknown as { takedownStore?: Store };

/** The app's shared store, opened (and migrated) on first use. Throws StoreOpenError in words. */
export function getStore(): Store {
  shared.takedownStore ??= openStore();
  return shared.takedownStore;
}

/** Puts `store` in place of the app's shared one (tests, benchmarks), or forgets it. */
export function replaceStore(store: Store | undefined): void {
  if (store) shared.takedownStore = store;
  else delete shared.takedownStore;
}
