// METRICS.md, "The state of a referral at as_of": the one place where a
// referral becomes actioned, declined, excluded or open, and gets its
// response time or exposure in hours. Which outcomes settle a referral, and
// as what, is the code list db/codes.ts SETTLING_OUTCOMES (record queries
// select by the same list).
import { OUTCOMES, OUTCOME_CODE, SETTLING_OUTCOMES, STATUS_CODE, type Status } from '@/db/codes';
import { clockStartAt } from './clock';
import type { FactColumns } from './facts';

export const ACTIONED = STATUS_CODE.actioned;
export const DECLINED = STATUS_CODE.declined;
export const OPEN = STATUS_CODE.open;
export const EXCLUDED = STATUS_CODE.excluded;

/** Status words a reader sees, by status (one home: series, tables and briefings take them from here). */
export const STATUS_LABELS: Readonly<Record<Status, string>> = {
  actioned: 'Removed or disabled',
  declined: 'Rejected',
  open: 'Still open',
  excluded: 'Already unavailable',
};

/** Per outcome code: the status it settles a referral as once outcome_at ≤ as_of (OPEN for pending). */
export const SETTLES_AS: Uint8Array = (() => {
  const table = new Uint8Array(OUTCOMES.length).fill(OPEN);
  for (const [status, outcomes] of Object.entries(SETTLING_OUTCOMES) as [Status, readonly (typeof OUTCOMES)[number][]][])
    for (const outcome of outcomes) table[OUTCOME_CODE[outcome]] = STATUS_CODE[status];
  return table;
})();

const HOUR_MS = 3_600_000;

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
  const settlesAs = SETTLES_AS;
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    const start = clockStartAt(clockStart[i], receivedAt[i], referredAt[i], asOf) + pausedMs[i];
    // An outcome recorded for an instant after as_of was not known then: the referral is open.
    const s = outcomeAt[i] <= asOf ? settlesAs[outcome[i]] : OPEN;
    status[k] = s;
    if (s === EXCLUDED) hours[k] = NaN;
    else if (s === ACTIONED) hours[k] = Math.max(0, (outcomeAt[i] - start) / HOUR_MS);
    else hours[k] = Math.max(0, (asOf - start) / HOUR_MS);
  }
  return { status, hours };
}
