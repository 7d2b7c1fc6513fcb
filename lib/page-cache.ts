// Rendered dashboard pages, kept so that a page asked again is sent without
// rendering it again (issue 8: rendering a dashboard page takes 50–80 ms of
// one Node.js thread, serving it from memory well under one).
//
// The proxy looks pages up here after it has checked who asks (every
// request is authenticated and authorised first; nothing is served to
// someone who may not see the page). An entry belongs to one user (the
// page names them) and one URL, and holds only while nothing it was made
// from has changed: the data version (every committed import moves it on),
// the settings file and, for a page without as_of, the minute (as_of
// defaults to now, to the minute). A miss renders the page once through
// the app itself (the same request, marked so that the proxy lets it
// through) and keeps the answer; concurrent misses of one entry wait for
// that one render. Least recently used entries go first when the cache is
// over its size (PAGE_CACHE_MB).
//
// The page's Content-Security-Policy nonce is kept with it: its scripts
// carry that nonce, so a cached page is sent with the policy it was made
// with (to the same user only).
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Principal } from '@/lib/auth/roles';
import type { Route } from '@/lib/auth/rules';

/** Pages whose HTML depends only on the URL, the user, the data version, the settings and the minute. */
export const CACHEABLE_PAGES: ReadonlySet<Route> = new Set<Route>([
  '/',
  '/about',
  '/providers',
  '/providers/[code]',
  '/orders',
  '/groups',
  '/groups/[code]',
  '/languages',
  '/campaigns',
  '/campaigns/[code]',
  '/briefing',
  '/reports/transparency',
]);

export const RENDER_HEADER = 'x-takedown-render';
/** Says whether a page came from the cache (hit) or was rendered for it (miss). */
export const CACHE_STATUS_HEADER = 'x-takedown-page-cache';
const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

export interface CachedPage {
  stamp: string;
  /**
   * The page as rendered. (Not kept compressed: Next.js drops the Content-Encoding of answers made in the
   * proxy and compresses them itself.)
   */
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  csp: string;
}

interface State {
  token: string;
  /** The pages, least recently used evicted first (lru-cache, issue 16); made again when the size setting changes. */
  entries: LRUCache<string, CachedPage> | null;
  rendering: Map<string, Promise<CachedPage | null>>;
}

// On globalThis: one cache per process, whichever bundle asks.
const shared = globalThis as unknown as { takedownPageCache?: State };
const state = (shared.takedownPageCache ??= { token: randomBytes(18).toString('base64url'), entries: null, rendering: new Map() });

/** True for the app's own rendering request (it must reach the page, not the cache). */
export function isRenderRequest(headers: Headers): boolean {
  return headers.get(RENDER_HEADER) === state.token;
}

export function pageCacheKey(principal: Principal, pathname: string, search: string): string {
  return `${principal.userId}\u0000${principal.role}\u0000${pathname}${search}`;
}

/** What an entry must have been made with to be served now. */
export function pageStamp(dataVersion: number | string, settingsStamp: string, search: URLSearchParams, now: number = Date.now()): string {
  return `${dataVersion}|${settingsStamp}|${search.has('as_of') ? '' : Math.floor(now / 60_000)}`;
}

/** The cache for a size of `maxBytes`, least recently used first out; a new size keeps the most recent pages that fit. */
function entries(maxBytes: number): LRUCache<string, CachedPage> {
  // (lru-cache takes a whole number of at least 1; a budget below that keeps nothing anyway, every page being over an eighth of it.)
  const size = Math.max(1, Math.floor(maxBytes));
  const old = state.entries;
  if (old?.maxSize === size) return old;
  const resized = new LRUCache<string, CachedPage>({ maxSize: size });
  // Oldest first, so that the most recent are the ones kept.
  if (old) for (const [key, page] of [...old.entries()].reverse()) if (page.body.byteLength <= maxBytes) resized.set(key, page, { size: Math.max(1, page.body.byteLength) });
  return (state.entries = resized);
}

function remember(key: string, page: CachedPage, maxBytes: number): void {
  const cache = entries(maxBytes);
  // One page may take at most an eighth of the cache (and 8 MiB): it is served, not kept.
  if (page.body.byteLength > Math.min(MAX_ENTRY_BYTES, maxBytes / 8)) cache.delete(key);
  else cache.set(key, page, { size: Math.max(1, page.body.byteLength) });
}

/**
 * The page for `key` made at `stamp`: from the cache, or rendered by
 * `render` (once, however many ask at the same time) and kept. Null when
 * the page did not render as a plain 200 HTML answer (the caller then lets
 * the request through to be answered as usual).
 */
export async function cachedPage(
  key: string,
  stamp: string,
  maxBytes: number,
  render: (renderHeaders: Record<string, string>) => Promise<Response>,
): Promise<{ page: CachedPage; hit: boolean } | null> {
  const cache = entries(maxBytes);
  const found = cache.get(key);
  if (found && found.stamp === stamp) return { page: found, hit: true };
  const flight = `${key}\u0000${stamp}`;
  let pending = state.rendering.get(flight);
  if (!pending) {
    pending = (async () => {
      const res = await render({ [RENDER_HEADER]: state.token, 'accept-encoding': 'identity' });
      const contentType = res.headers.get('content-type') ?? '';
      const csp = res.headers.get('content-security-policy');
      if (res.status !== 200 || !contentType.startsWith('text/html') || !csp) {
        await res.body?.cancel();
        return null;
      }
      const page: CachedPage = { stamp, body: new Uint8Array(await res.arrayBuffer()), contentType, csp };
      remember(key, page, maxBytes);
      return page;
    })().finally(() => state.rendering.delete(flight));
    state.rendering.set(flight, pending);
  }
  const page = await pending;
  return page ? { page, hit: false } : null;
}

/** Entries and bytes held (for tests and the benchmark). */
export function pageCacheSize(): { entries: number; bytes: number } {
  return { entries: state.entries?.size ?? 0, bytes: state.entries?.calculatedSize ?? 0 };
}
