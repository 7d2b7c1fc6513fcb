// Reads the fact columns and builds the time orders ahead of the first request.
import { getDb } from '@/db/sqlite/client';
import { countReferrals } from '@/db/sqlite/queries/reference';
import { parseFilters } from '@/lib/filters';
import { getBreakdown, getMonthlyMedians, getProviderCompliance, getSummary } from './index';

export function warmMetrics(): void {
  try {
    const db = getDb();
    if (countReferrals(db) === 0) return;
    const started = performance.now();
    const everything = parseFilters(new URLSearchParams()).filters;
    // A summary over everything touches the columns and every time order;
    // a breakdown, the monthly compliance and medians get the code of the
    // heavier pages compiled before a person waits for it.
    getSummary(db, everything);
    getBreakdown(db, everything, 'platform');
    getProviderCompliance(db, everything);
    getMonthlyMedians(db, everything);
    console.log(`Metrics ready in ${Math.round(performance.now() - started)} ms`);
  } catch (err) {
    // A database that cannot be opened is reported by the first request, in words.
    console.error('Could not prepare the metrics at start-up:', err instanceof Error ? err.message : err);
  }
}
