// Briefing PDFs: the print page rendered by Debian's Chromium through
// playwright-core. One browser serves every request (launched on first use,
// relaunched if it dies), with at most two tabs rendering at once so that a
// burst of downloads cannot exhaust the machine. Tabs are kept between
// requests: a new one costs a renderer process and a cold script cache
// (about a second here). No cookie is ever stored in them: the requesting
// user's own credential goes in that navigation's headers, so the page is
// rendered with exactly their rights.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export class ChromiumMissingError extends Error {}
export class BriefingRenderError extends Error {}

/** Chromium on a closed network stalls without these (README: pitfalls). */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];
const MAX_CONCURRENT = 2;

// On globalThis: Next.js may load this module more than once in one process.
const shared = globalThis as unknown as {
  takedownBrowser?: { path: string; browser: Promise<Browser>; context?: Promise<BrowserContext>; idle: Page[] };
  takedownRenders?: { running: number; waiting: (() => void)[] };
};
const slots = (shared.takedownRenders ??= { running: 0, waiting: [] });

async function acquire(): Promise<() => void> {
  if (slots.running >= MAX_CONCURRENT) await new Promise<void>((resolve) => slots.waiting.push(resolve));
  slots.running++;
  return () => {
    slots.running--;
    slots.waiting.shift()?.();
  };
}

export function chromiumInstalled(chromiumPath: string): boolean {
  try {
    fs.accessSync(chromiumPath, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function getBrowser(chromiumPath: string): Promise<NonNullable<typeof shared.takedownBrowser>> {
  const current = shared.takedownBrowser;
  if (current && current.path === chromiumPath) {
    const browser = await current.browser.catch(() => null);
    if (browser?.isConnected()) return current;
  }
  if (!chromiumInstalled(chromiumPath)) throw new ChromiumMissingError(`Chromium is not installed at ${chromiumPath}`);
  const launching = chromium.launch({ executablePath: chromiumPath, headless: true, args: ARGS });
  const entry: NonNullable<typeof shared.takedownBrowser> = { path: chromiumPath, browser: launching, idle: [] };
  shared.takedownBrowser = entry;
  try {
    const browser = await launching;
    browser.on('disconnected', () => {
      if (shared.takedownBrowser === entry) shared.takedownBrowser = undefined;
    });
    return entry;
  } catch (err) {
    if (shared.takedownBrowser === entry) shared.takedownBrowser = undefined;
    throw new BriefingRenderError(`Chromium at ${chromiumPath} could not be started: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

/**
 * The page at `url` as an A4 PDF, once its ready marker is set (every chart
 * drawn, fonts loaded: components/briefing/briefing-ready.tsx).
 */
export async function renderPdf(url: string, options: { chromiumPath: string; timeoutMs?: number; headers?: Record<string, string> }): Promise<Buffer> {
  const timeout = options.timeoutMs ?? 30_000;
  const release = await acquire();
  let page: Page | null = null;
  try {
    const entry = await getBrowser(options.chromiumPath);
    const browser = await entry.browser;
    entry.context ??= browser.newContext();
    page = entry.idle.pop() ?? (await (await entry.context).newPage());
    await page.setExtraHTTPHeaders(options.headers ?? {});
    const response = await page.goto(url, { waitUntil: 'commit', timeout });
    if (!response?.ok()) throw new BriefingRenderError(`the briefing page answered ${response?.status() ?? 'nothing'}`);
    // Credentials that no longer hold lead to the sign-in page: never print that.
    if (new URL(page.url()).pathname !== new URL(url).pathname) throw new BriefingRenderError('the page asked to sign in again');
    await page.waitForSelector('html[data-briefing-ready="true"]', { state: 'attached', timeout });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, tagged: true });
    entry.idle.push(page);
    page = null;
    return pdf;
  } catch (err) {
    if (err instanceof ChromiumMissingError || err instanceof BriefingRenderError) throw err;
    throw new BriefingRenderError(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    // A tab that failed is not reused.
    if (page) await page.close().catch(() => undefined);
    release();
  }
}

