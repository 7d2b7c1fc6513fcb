// What the database holds, for the first page and the synthetic-data notice.
import type { Db } from '@/db/client';
import { isSyntheticDataset } from '@/db/queries/meta';
import { getDatabaseOverview, type DatabaseOverview } from '@/db/queries/overview';

export interface DatabaseStatus extends DatabaseOverview {
  synthetic: boolean;
}

export function getDatabaseStatus(db: Db): DatabaseStatus {
  return { ...getDatabaseOverview(db), synthetic: isSyntheticDataset(db) };
}
