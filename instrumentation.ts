// Runs once when the server starts: read the fact columns and build the time
// orders before the first request, so that nobody waits for them after a
// restart (after an import, the first request reads them again). Chromium
// for PDFs starts with the first PDF asked for, not here: it would compete
// with the first pages for the CPU. Once a minute, refused sign-ins counted
// in a window that has passed are written to the audit trail (they are also
// written at the next sign-in; this covers a quiet server).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { warmMetrics } = await import('@/lib/metrics/warm');
  await warmMetrics();
  const { closeRefusalWindowsSoon } = await import('@/lib/auth/throttle');
  setInterval(closeRefusalWindowsSoon, 60_000).unref();
}
