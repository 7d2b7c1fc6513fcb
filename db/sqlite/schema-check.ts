// Compile-time check: the SQLite schema types its rows exactly as the
// engine-neutral shapes of db/rows.ts. A column added, renamed or retyped in
// one and not the other makes `tsc` (and so `npm test`) fail here.
import type { ImportBatch, StoredReferral, UserRow } from '../rows';
import type { importBatches, referrals, users } from './schema';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Snake<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Uppercase<H> ? (H extends Lowercase<H> ? H : `_${Lowercase<H>}`) : H}${Snake<T>}` : S;
type SnakeKeys<T> = { [K in keyof T as K extends string ? Snake<K> : K]: T[K] };

/** The stored fields of a referral: everything but the row's bookkeeping (id, digest, batches). */
type StoredColumns = Omit<typeof referrals.$inferSelect, 'id' | 'rowDigest' | 'createdBatch' | 'updatedBatch'>;

export const referralRowsMatch: Same<StoredColumns, StoredReferral> = true;
export const batchRowsMatch: Same<typeof importBatches.$inferSelect, ImportBatch> = true;
// Users are read with raw SQL, so by their column names.
export const userRowsMatch: Same<SnakeKeys<typeof users.$inferSelect>, UserRow> = true;
