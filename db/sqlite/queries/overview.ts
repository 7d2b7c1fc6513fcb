// The last committed import, for the first page.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { importBatches } from '../schema';

export interface LastBatch {
  id: number;
  fileName: string;
  finishedAt: number;
  status: string;
}

export function getLastCommittedBatch(db: Db): LastBatch | null {
  return (
    db
      .select({ id: importBatches.id, fileName: importBatches.fileName, finishedAt: importBatches.finishedAt, status: importBatches.status })
      .from(importBatches)
      .where(eq(importBatches.status, 'committed'))
      .orderBy(desc(importBatches.id))
      .limit(1)
      .get() ?? null
  );
}
