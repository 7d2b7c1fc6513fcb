// What a page, an answer or a briefing reads from: the store (records,
// batches, settings) and the facts of one data version (every figure), so
// that all figures of one view are of the same version.
import { getStore } from '@/db/open';
import type { Store } from '@/db/store';
import { currentFacts, type FactSnapshot } from '@/lib/metrics/fact-store';

export interface Sources {
  store: Store;
  data: FactSnapshot;
}

/** Which data figures are of, in an answer's words (API.md: `data`). */
export function dataOf(data: FactSnapshot): { version: number; import: number | null; newer_version_pending: boolean } {
  return { version: data.version, import: data.mark.lastImport, newer_version_pending: data.stale === true };
}

export async function sourcesNow(store: Store = getStore()): Promise<Sources> {
  return { store, data: await currentFacts(store) };
}
