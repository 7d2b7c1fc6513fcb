// The fact columns the metrics walk: what the store hands over, plus the
// clock start of each referral (METRICS.md), derived here once per read
// because it is a metric's definition, not a stored value.
import { KIND_CODE } from '@/db/codes';
import type { StoredFacts } from '@/db/facts';
import { clockStartMs } from './clock';

export { NO_CODE, NO_REASON, type Dictionary } from '@/db/facts';

export interface FactColumns extends StoredFacts {
  /** Clock start (METRICS.md): received_at for a removal order that has one, otherwise referred_at. */
  clockStart: Float64Array;
}

/** The clock start of row `i` of the stored columns (METRICS.md, via clock.ts). */
export function rowClockStart(stored: StoredFacts, i: number): number {
  const received = stored.receivedAt[i];
  return clockStartMs(stored.kind[i] === KIND_CODE.removal_order, Number.isNaN(received) ? null : received, stored.referredAt[i]);
}

export function withClockStart(stored: StoredFacts): FactColumns {
  const clockStart = new Float64Array(stored.size);
  for (let i = 0; i < stored.size; i++) clockStart[i] = rowClockStart(stored, i);
  return { ...stored, clockStart };
}
