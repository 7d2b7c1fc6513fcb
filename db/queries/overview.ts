// Figures for the first page: what the database holds.
import { count, desc, eq, max, min, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { importBatches, platforms, referrals } from '../schema';

export interface DatabaseOverview {
  total: number;
  firstReferredAt: number | null;
  lastReferredAt: number | null;
  byPlatform: { code: string; name: string; count: number }[];
  byOutcome: { outcome: string; count: number }[];
  lastBatch: { id: number; fileName: string; finishedAt: number; status: string } | null;
}

export function getDatabaseOverview(db: Db): DatabaseOverview {
  const totals = db
    .select({ total: count(), first: min(referrals.referredAt), last: max(referrals.referredAt) })
    .from(referrals)
    .get();
  const byPlatform = db
    .select({ code: referrals.platform, name: platforms.name, count: count().mapWith(Number) })
    .from(referrals)
    .innerJoin(platforms, eq(platforms.code, referrals.platform))
    .groupBy(referrals.platform)
    .orderBy(desc(sql`count(*)`), referrals.platform)
    .all();
  const byOutcome = db
    .select({ outcome: referrals.outcome, count: count().mapWith(Number) })
    .from(referrals)
    .groupBy(referrals.outcome)
    .orderBy(desc(sql`count(*)`))
    .all();
  const lastBatch =
    db
      .select({ id: importBatches.id, fileName: importBatches.fileName, finishedAt: importBatches.finishedAt, status: importBatches.status })
      .from(importBatches)
      .where(eq(importBatches.status, 'committed'))
      .orderBy(desc(importBatches.id))
      .limit(1)
      .get() ?? null;
  return {
    total: totals?.total ?? 0,
    firstReferredAt: totals?.first ?? null,
    lastReferredAt: totals?.last ?? null,
    byPlatform,
    byOutcome,
    lastBatch,
  };
}
