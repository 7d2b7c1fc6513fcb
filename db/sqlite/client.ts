// Opening the database: the one place that knows the engine's pragmas,
// where the file lives and how migrations are applied.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { StoreOpenError } from '../store';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const BUSY_TIMEOUT_MS = 10_000;


export function migrationsFolder(): string {
  return path.join(process.cwd(), 'db', 'sqlite', 'migrations');
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  readonly?: boolean;
}

/** Opens (and by default migrates) the database at `file`; ':memory:' for tests. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const inMemory = file === ':memory:';
  if (!inMemory && !options.readonly) fs.mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true });
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    // The first real read: a foreign or corrupt file fails here, not later.
    sqlite.pragma('schema_version');
  } catch (err) {
    throw new StoreOpenError(`Cannot open the database at ${file}: ${describeSqliteError(err)}`);
  }
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!inMemory && !options.readonly) {
    sqlite.pragma('journal_mode = WAL');
    // After a checkpoint resets the WAL, its file is cut back to this size (64 MiB).
    sqlite.pragma('journal_size_limit = 67108864');
  }
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Bounded page cache (64 MiB) whatever the data size.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = FILE');
  refuseForeign(sqlite, file);
  const db: Db = drizzle(sqlite, { schema });
  if (options.migrate ?? true) migrateDatabase(db);
  return db;
}

/** The table drizzle records applied migrations in: every Takedown Monitor database has it. */
const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * A SQLite file holding another application's tables is refused, never
 * migrated: our tables must not be written into someone else's data.
 */
function refuseForeign(sqlite: Database.Database, file: string): void {
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  if (tables.length === 0 || tables.includes(MIGRATIONS_TABLE)) return;
  sqlite.close();
  throw new StoreOpenError(
    `Cannot open the database at ${file}: it holds tables of another application (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}), not Takedown Monitor's. Point DATABASE_PATH at a Takedown Monitor database or at a new file.`,
  );
}

export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder: migrationsFolder() });
}

function describeSqliteError(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_NOTADB') return 'the file is not a SQLite database (or is encrypted or corrupt).';
  if (code === 'SQLITE_CORRUPT') return 'the database file is corrupt.';
  if (code === 'SQLITE_CANTOPEN') return 'the file cannot be opened (check the path and permissions).';
  return err instanceof Error ? err.message : String(err);
}

