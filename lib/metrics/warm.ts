// Reads the fact columns and builds the time orders ahead of the first request.
import { getDb } from '@/db/client';
import { countReferrals } from '@/db/queries/reference';
import { parseFilters } from '@/lib/filters';
import { getSummary } from './index';

export function warmMetrics(): void {
  try {
    const db = getDb();
    if (countReferrals(db) === 0) return;
    const started = performance.now();
    // A summary over everything touches the columns and every time order.
    getSummary(db, parseFilters(new URLSearchParams()).filters);
    console.log(`Metrics ready in ${Math.round(performance.now() - started)} ms`);
  } catch (err) {
    // A database that cannot be opened is reported by the first request, in words.
    console.error('Could not prepare the metrics at start-up:', err instanceof Error ? err.message : err);
  }
}
