// Reads the fact columns and builds the time orders ahead of the first request.
import { getStore } from '@/db/open';
import { parseFilters } from '@/lib/filters';
import { currentFacts } from './fact-store';
import { getBreakdown, getMonthlyMedians, getProviderCompliance, getSummary } from './index';

export async function warmMetrics(): Promise<void> {
  try {
    const store = getStore();
    if ((await store.referrals.count()) === 0) return;
    const started = performance.now();
    const data = await currentFacts(store);
    const everything = parseFilters(new URLSearchParams()).filters;
    // A summary over everything touches the columns and every time order;
    // a breakdown, the monthly compliance and medians get the code of the
    // heavier pages compiled before a person waits for it.
    getSummary(data, everything);
    getBreakdown(data, everything, 'platform');
    getProviderCompliance(data, everything);
    getMonthlyMedians(data, everything);
    console.log(`Metrics ready in ${Math.round(performance.now() - started)} ms`);
  } catch (err) {
    // A database that cannot be opened is reported by the first request, in words.
    console.error('Could not prepare the metrics at start-up:', err instanceof Error ? err.message : err);
  }
}
