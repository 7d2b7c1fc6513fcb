// Opening the store: the engine is chosen once, from configuration
// (db/config.ts), and the app shares one store per process.
import { storeConfig, type StoreConfig } from './config';
import { restoreSqlite } from './sqlite/backup';
import type { OpenOptions } from './sqlite/client';
import { SqliteStore } from './sqlite/store';
import type { BackupCheck, Store } from './store';

export type { OpenOptions };

export function openStore(config: StoreConfig = storeConfig(), options: OpenOptions = {}): Store {
  switch (config.engine) {
    case 'sqlite':
      return SqliteStore.open(config.path, options);
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
