// METRICS.md, "The state of a referral at as_of": the clock start and the
// exposure, defined once.

const HOUR_MS = 3_600_000;

/** received_at for a removal order that has one, otherwise referred_at. */
export function clockStartMs(isRemovalOrder: boolean, receivedAt: number | null, referredAt: number): number {
  return isRemovalOrder && receivedAt !== null ? receivedAt : referredAt;
}

/** Hours still online at as_of: as_of − clock start − paused hours, never below 0. */
export function exposureHours(asOf: number, clockStart: number, pausedHours: number | null): number {
  return Math.max(0, (asOf - (clockStart + (pausedHours ?? 0) * HOUR_MS)) / HOUR_MS);
}
