// METRICS.md "Small numbers": in a printed briefing, a cell resting on fewer
// than k referrals shows "< k", and no rate is given on it.
import { formatCount, formatMedian, formatRate } from '@/lib/format';

/** A count, or "< k" below k. */
export function countCell(n: number, k: number): string {
  return n < k ? `< ${k}` : formatCount(n);
}

/** A count in a sentence, or "fewer than k". */
export function countWords(n: number, k: number): string {
  return n < k ? `fewer than ${k}` : formatCount(n);
}

/** A rate with its interval, resting on n referrals; withheld below k. */
export function rateCell(rate: { rate: number | null; lower: number | null; upper: number | null }, n: number, k: number): string {
  return n < k ? 'not shown' : formatRate(rate.rate, rate.lower, rate.upper);
}

/** A median time to removal over n referrals; withheld below k. */
export function medianCell(median: number | null, maxFollowUp: number | null, n: number, k: number): string {
  return n < k ? 'not shown' : formatMedian(median, maxFollowUp);
}
