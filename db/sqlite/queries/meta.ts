// Facts about the database as a whole (for example that it holds the
// synthetic demo data set).
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { meta } from '../schema';

export const DATASET_KEY = 'dataset';
export const SYNTHETIC = 'synthetic';

export function setMeta(db: Db, key: string, value: string): void {
  db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
}

export function getMeta(db: Db, key: string): string | null {
  return db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)).get()?.value ?? null;
}

export function isSyntheticDataset(db: Db): boolean {
  return getMeta(db, DATASET_KEY) === SYNTHETIC;
}
