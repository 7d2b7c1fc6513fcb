// Facts about the database as a whole (its data version, that it holds the
// synthetic demo data set, …), as key and text value.
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { meta } from '../schema';

export function setMeta(db: Db, key: string, value: string): void {
  db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
}

export function getMeta(db: Db, key: string): string | null {
  return db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)).get()?.value ?? null;
}
