// What the database holds, for the first page and the synthetic-data
// notice: counted from the fact columns the metrics use.
import { OUTCOMES } from '@/db/codes';
import type { ImportBatch } from '@/db/rows';
import type { Store } from '@/db/store';
import { countRows } from '@/lib/metrics/dimensions';
import { memo, type FactSnapshot } from '@/lib/metrics/fact-store';
import type { Sources } from '@/lib/sources';

/** The meta key and value that mark a database holding the synthetic demo data set. */
export const DATASET_KEY = 'dataset';
export const SYNTHETIC = 'synthetic';

export type LastBatch = Pick<ImportBatch, 'id' | 'fileName' | 'finishedAt' | 'status'>;

export async function isSyntheticDataset(store: Store): Promise<boolean> {
  return (await store.meta.get(DATASET_KEY)) === SYNTHETIC;
}

export interface DatabaseStatus {
  total: number;
  firstReferredAt: number | null;
  lastReferredAt: number | null;
  byPlatform: { code: string; name: string; count: number }[];
  /** Outcomes as last recorded, whatever their date. */
  byOutcome: { outcome: string; count: number }[];
  lastBatch: LastBatch | null;
  synthetic: boolean;
  /** Which engine serves the data (db/store.ts Engine). */
  engine: Store['engine'];
}

/** The engine in words, for the status section of the first page. */
export const ENGINE_WORDS: Record<Store['engine'], string> = {
  sqlite: 'the embedded SQLite database file',
  postgres: 'a PostgreSQL database server',
};

export async function getDatabaseStatus({ store, data }: Sources): Promise<DatabaseStatus> {
  const last = await store.imports.lastCommitted();
  return {
    ...countedFromFacts(data),
    lastBatch: last && { id: last.id, fileName: last.fileName, finishedAt: last.finishedAt, status: last.status },
    synthetic: await isSyntheticDataset(store),
    engine: store.engine,
  };
}

/** The scan of every row, once per data version (several pages ask on every request). */
function countedFromFacts(data: FactSnapshot): Pick<DatabaseStatus, 'total' | 'firstReferredAt' | 'lastReferredAt' | 'byPlatform' | 'byOutcome'> {
  return memo(data, 'databaseStatus', [], (facts) => {
    const all = new Uint32Array(facts.size);
    let first = Infinity;
    let last = -Infinity;
    const outcomes = new Float64Array(OUTCOMES.length);
    for (let i = 0; i < facts.size; i++) {
      all[i] = i;
      const t = facts.referredAt[i];
      if (t < first) first = t;
      if (t > last) last = t;
      outcomes[facts.outcome[i]]++;
    }
    const names = new Map(facts.dictionaries.platform.codes.map((c, i) => [c, facts.dictionaries.platform.names[i]]));
    const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count;
    return {
      total: facts.size,
      firstReferredAt: facts.size ? first : null,
      lastReferredAt: facts.size ? last : null,
      byPlatform: countRows(facts, all, 'platform')
        .map((c) => ({ code: c.key, name: names.get(c.key) ?? c.key, count: c.count }))
        .sort((a, b) => byCount(a, b) || (a.code < b.code ? -1 : 1)),
      byOutcome: OUTCOMES.map((outcome, i) => ({ outcome, count: outcomes[i] }))
        .filter((o) => o.count > 0)
        .sort(byCount),
    };
  });
}
