// Backups with SQLite's online backup (consistent while the app serves and
// imports), and restores that refuse any file that is not an intact
// Takedown Monitor database. A restore goes through the same backup API
// into the live file, so running servers see it like a committed import.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { BackupError, type BackupCheck } from '../store';
import { openDatabase, type Db } from './client';
import { randomBytes } from 'node:crypto';
import { DATA_VERSION_KEY, GENERATION_KEY, getDataVersion } from './queries/facts';
import { setMeta } from './queries/meta';

/** Opens `file` read-only and checks it: a SQLite database, intact, with Takedown Monitor's tables. */
export function checkBackupFile(file: string): BackupCheck {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist.`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`${file} cannot be opened: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    let result: string[];
    try {
      result = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (err) {
      throw new BackupError(`${file} fails integrity_check: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (result.length !== 1 || result[0] !== 'ok') throw new BackupError(`${file} fails integrity_check: ${result.slice(0, 3).join('; ')}`);
    const tables = new Set(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    for (const needed of ['__drizzle_migrations', 'referrals', 'import_batches', 'meta'])
      if (!tables.has(needed)) throw new BackupError(`${file} is not a Takedown Monitor database (it has no ${needed} table).`);
    return {
      referrals: sqlite.prepare('SELECT count(*) FROM referrals').pluck().get() as number,
      batches: sqlite.prepare('SELECT count(*) FROM import_batches').pluck().get() as number,
      bytes: fs.statSync(file).size,
    };
  } finally {
    sqlite.close();
  }
}

/** Copies the live database to `target` (which must not exist), then checks the copy. */
export async function backupDatabase(db: Db, target: string): Promise<BackupCheck> {
  if (fs.existsSync(target)) throw new BackupError(`${target} exists already: choose a new file name (a backup never overwrites).`);
  try {
    await db.$client.backup(target);
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw new BackupError(`The backup to ${target} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return checkBackupFile(target);
}

/**
 * Replaces the contents of the database at `livePath` with the backup at
 * `source`, after checking the backup. The data version moves past both,
 * so every server reads the restored data on its next request.
 */
export async function restoreSqlite(source: string, livePath: string): Promise<BackupCheck> {
  const check = checkBackupFile(source);
  const live = openDatabase(livePath);
  const before = getDataVersion(live);
  live.$client.close();
  const backup = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await backup.backup(livePath);
  } catch (err) {
    throw new BackupError(`The restore into ${livePath} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    backup.close();
  }
  const restored = openDatabase(livePath);
  try {
    setMeta(restored, DATA_VERSION_KEY, String(Math.max(before, getDataVersion(restored)) + 1));
    // Another history of batches: no process may apply changes since one of its batches to it.
    setMeta(restored, GENERATION_KEY, randomBytes(16).toString('hex'));
  } finally {
    restored.$client.close();
  }
  return check;
}
