// METRICS.md, "The state of a referral at as_of": the clock start, defined
// once (the exposure is lib/metrics/state.ts).

/** received_at for a removal order that has one, otherwise referred_at: the clock start once everything recorded is known. */
export function clockStartMs(isRemovalOrder: boolean, receivedAt: number | null, referredAt: number): number {
  return isRemovalOrder && receivedAt !== null ? receivedAt : referredAt;
}

/**
 * The clock start at as_of: a receipt counts only once it is known
 * (received_at ≤ as_of); before that the clock runs from referred_at.
 * `recorded` is clockStartMs of the row; receivedAt is NaN when there is none.
 */
export function clockStartAt(recorded: number, receivedAt: number, referredAt: number, asOf: number): number {
  return receivedAt > asOf ? referredAt : recorded;
}
