// Briefing PDFs: the print page rendered by Debian's Chromium through
// playwright-core. One browser serves every request (launched on first use,
// relaunched if it dies), with at most two tabs rendering at once so that a
// burst of downloads cannot exhaust the machine. Requests waiting for a tab
// queue per user and are served in turn, one user after another, so that
// nobody's burst holds up somebody else's PDF for more than one render; the
// queue is bounded (RenderQueueFull: the route answers 503 in words). Tabs are kept between
// requests: a new one costs a renderer process and a cold script cache
// (about a second here). No cookie is ever stored in them: the requesting
// user's own credential goes in that navigation's headers, so the page is
// rendered with exactly their rights.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export class ChromiumMissingError extends Error {}
export class BriefingRenderError extends Error {}
/** The page said it cannot be produced (data-render-error): `kind` 'parameters' is the request's fault. */
export class PageReportedError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}
export class RenderQueueFull extends Error {}

/** Chromium on a closed network stalls without these (README: pitfalls). */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];
const MAX_CONCURRENT = 2;
/** Requests that may wait for a tab: in all, and of one user. */
export const MAX_WAITING = 8;
export const MAX_WAITING_PER_USER = 2;

// On globalThis: Next.js may load this module more than once in one process.
const shared = globalThis as unknown as {
  takedownBrowser?: { path: string; browser: Promise<Browser>; context?: Promise<BrowserContext>; idle: Page[] };
  takedownRenderQueue?: { running: number; waiting: Map<string, (() => void)[]> };
};
const slots = (shared.takedownRenderQueue ??= { running: 0, waiting: new Map() });

function waitingCount(): number {
  let n = 0;
  for (const list of slots.waiting.values()) n += list.length;
  return n;
}

/** A tab for `user`: at once if one is free, else in turn with the other users; RenderQueueFull if the queue is full. */
export async function acquire(user: string): Promise<() => void> {
  if (slots.running >= MAX_CONCURRENT) {
    const mine = slots.waiting.get(user) ?? [];
    if (waitingCount() >= MAX_WAITING || mine.length >= MAX_WAITING_PER_USER) throw new RenderQueueFull('every PDF renderer place is taken');
    await new Promise<void>((resolve) => {
      mine.push(resolve);
      slots.waiting.set(user, mine);
    });
  } else slots.running++;
  return () => {
    // The freed tab goes to the user who has waited longest for their turn (a Map keeps insertion order); that user
    // goes to the back of the line, so users alternate.
    for (const [next, list] of slots.waiting) {
      const resume = list.shift()!;
      slots.waiting.delete(next);
      if (list.length > 0) slots.waiting.set(next, list);
      resume();
      return;
    }
    slots.running--;
  };
}

/** Tabs rendering and requests waiting (tests, and the 503's words). */
export function renderQueueSize(): { running: number; waiting: number } {
  return { running: slots.running, waiting: waitingCount() };
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
export async function renderPdf(url: string, options: { chromiumPath: string; user: string; timeoutMs?: number; headers?: Record<string, string> }): Promise<Buffer> {
  const timeout = options.timeoutMs ?? 30_000;
  const release = await acquire(options.user);
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
    // Ready, or the page says it cannot be produced: no waiting out the timeout for a page that will never be ready.
    const settled = await page.waitForSelector('html[data-briefing-ready="true"], [data-render-error]', { state: 'attached', timeout });
    const reported = await settled.getAttribute('data-render-error');
    if (reported !== null) throw new PageReportedError(reported, ((await settled.textContent()) ?? '').replace(/\s+/g, ' ').trim().slice(0, 500));
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, tagged: true });
    entry.idle.push(page);
    page = null;
    return pdf;
  } catch (err) {
    if (err instanceof ChromiumMissingError || err instanceof BriefingRenderError || err instanceof PageReportedError) throw err;
    throw new BriefingRenderError(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    // A tab that failed is not reused.
    if (page) await page.close().catch(() => undefined);
    release();
  }
}

