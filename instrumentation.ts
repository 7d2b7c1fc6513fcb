// Runs once when the server starts: read the fact columns and build the time
// orders before the first request, so that nobody waits for them after a
// restart (after an import, the first request reads them again); and start
// Chromium for briefing PDFs in the background.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { warmMetrics } = await import('@/lib/metrics/warm');
  warmMetrics();
  const [{ prepareRenderer }, { getSettings, SettingsError }] = await Promise.all([import('@/lib/briefing/pdf'), import('@/lib/settings')]);
  try {
    void prepareRenderer(getSettings().CHROMIUM_PATH);
  } catch (err) {
    // A bad setting is reported by the PDF route, in words.
    if (!(err instanceof SettingsError)) throw err;
  }
}
