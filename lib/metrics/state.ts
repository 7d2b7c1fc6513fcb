// METRICS.md, "The state of a referral at as_of": the one place where a
// referral becomes actioned, declined, excluded or open, and gets its
// response time or exposure in hours.
import type { FactColumns } from '@/db/queries/facts';
import { clockStartAt } from './clock';

export const OPEN = 0;
export const ACTIONED = 1;
export const DECLINED = 2;
export const EXCLUDED = 3;

const HOUR_MS = 3_600_000;
const REMOVED = 1;
const DISABLED = 2;
const REJECTED = 3;
const UNAVAILABLE = 4;

export interface ReferralStates {
  /** OPEN, ACTIONED, DECLINED or EXCLUDED, per selected row. */
  status: Uint8Array;
  /** Actioned: response time; open and declined: exposure; excluded: NaN. Hours, never below 0. */
  hours: Float64Array;
}

export function referralStates(facts: FactColumns, rows: Uint32Array, asOf: number): ReferralStates {
  const n = rows.length;
  const status = new Uint8Array(n);
  const hours = new Float64Array(n);
  const { outcome, outcomeAt, clockStart, receivedAt, referredAt, pausedMs } = facts;
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    const o = outcome[i];
    const start = clockStartAt(clockStart[i], receivedAt[i], referredAt[i], asOf) + pausedMs[i];
    // An outcome recorded for an instant after as_of was not known then: the referral is open.
    if (o === UNAVAILABLE && outcomeAt[i] <= asOf) {
      status[k] = EXCLUDED;
      hours[k] = NaN;
    } else if ((o === REMOVED || o === DISABLED) && outcomeAt[i] <= asOf) {
      status[k] = ACTIONED;
      hours[k] = Math.max(0, (outcomeAt[i] - start) / HOUR_MS);
    } else {
      status[k] = o === REJECTED && outcomeAt[i] <= asOf ? DECLINED : OPEN;
      hours[k] = Math.max(0, (asOf - start) / HOUR_MS);
    }
  }
  return { status, hours };
}
