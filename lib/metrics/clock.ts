// METRICS.md, "The state of a referral at as_of": the clock start, defined
// once (the exposure is lib/metrics/state.ts).

/** received_at for a removal order that has one, otherwise referred_at. */
export function clockStartMs(isRemovalOrder: boolean, receivedAt: number | null, referredAt: number): number {
  return isRemovalOrder && receivedAt !== null ? receivedAt : referredAt;
}
