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

export function withClockStart(stored: StoredFacts): FactColumns {
  const clockStart = new Float64Array(stored.size);
  const { kind, receivedAt, referredAt } = stored;
  for (let i = 0; i < stored.size; i++) {
    const received = receivedAt[i];
    clockStart[i] = clockStartMs(kind[i] === KIND_CODE.removal_order, Number.isNaN(received) ? null : received, referredAt[i]);
  }
  return { ...stored, clockStart };
}
