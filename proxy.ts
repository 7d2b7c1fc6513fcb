// The proxy: security headers (a CSP with a fresh nonce) on every answer,
// and early answers for requests that will be refused anyway (to sign in,
// or 403). It is a convenience only: every page and route handler checks
// again where it reads data (lib/auth/dal.ts, lib/auth/guard.ts). Once a
// request is allowed, a dashboard page asked again is served from the
// rendered-page cache (lib/page-cache.ts).
import { NextResponse, type NextRequest } from 'next/server';
import { getStore } from '@/db/open';
import { StoreOpenError } from '@/db/store';
import { currentFacts } from '@/lib/metrics/fact-store';
import { audit } from '@/lib/auth/audit';
import { authenticate } from '@/lib/auth/authenticate';
import { SIGN_IN_FIRST, refusalMessage } from '@/lib/auth/guard';
import { contentSecurityPolicy, STATIC_SECURITY_HEADERS } from '@/lib/auth/headers';
import { CAPABILITIES, roleHas, type Principal } from '@/lib/auth/roles';
import { PAGES_SHOWING_RECORDS, ruleOfPath, type Route } from '@/lib/auth/rules';
import { CACHE_STATUS_HEADER, CACHEABLE_PAGES, cachedPage, isRenderRequest, pageCacheKey, pageStamp } from '@/lib/page-cache';
import { getSettings, selfOrigin, settingsFileStamp } from '@/lib/settings';
import { wordsPage } from '@/lib/words-page';

/** The route a path is for: decoded, without a trailing slash or the .rsc suffix of component payloads. */
function routePath(pathname: string): string {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // Not decodable: matched as it is (and Next.js will not find it either).
  }
  path = path.replace(/\.rsc$/, '').replace(/\/+$/, '');
  return path === '' ? '/' : path;
}

function withHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set('Content-Security-Policy', csp);
  for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(k, v);
  return response;
}

const FORBIDDEN_PAGE = wordsPage('Not for your role', ['Your account’s role may not see this page. If your work needs it, ask an administrator for another role.']);

/** Longest path and query the page cache renders (far more than any link of the dashboard makes). */
const MAX_RENDER_URL = 4096;
/** How long a page's render for the cache may take before the request is answered in words. */
const RENDER_TIMEOUT_MS = 20_000;

/** A short page in words (never a stack trace), with the security headers. */
function wordsAnswer(status: number, title: string, text: string, headers: Record<string, string> = {}): NextResponse {
  const response = new NextResponse(wordsPage(title, [text]), { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers } });
  return withHeaders(response, contentSecurityPolicy(Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')));
}

/** The page from the rendered-page cache (or rendered for it), or null to let the request through as usual. */
async function fromPageCache(request: NextRequest, principal: Principal, route: Route): Promise<NextResponse | null> {
  const settings = getSettings();
  const maxBytes = settings.PAGE_CACHE_MB * 1024 * 1024;
  const h = request.headers;
  // Only documents a browser loads (it asks for text/html). Component payloads of client navigations and prefetches are
  // rendered as usual: Next.js hides their RSC headers and _rsc parameter from the proxy, but they never ask for HTML.
  const document = (h.get('accept') ?? '').includes('text/html') && (h.get('sec-fetch-dest') ?? 'document') === 'document';
  if (maxBytes === 0 || request.method !== 'GET' || !document || !CACHEABLE_PAGES.has(route) || isRenderRequest(h) || h.has('x-middleware-prefetch')) return null;
  const { pathname, search, searchParams } = request.nextUrl;
  // The version of the facts the page is computed from: during the read of a newer import, the one before it (marked).
  const facts = await currentFacts(getStore());
  const stamp = pageStamp(`${facts.version}${facts.stale ? '-stale' : ''}`, settingsFileStamp(), searchParams);
  const credentials: Record<string, string> = {};
  for (const name of ['cookie', 'authorization']) {
    const value = h.get(name);
    if (value) credentials[name] = value;
  }
  const target = `${pathname}${search}`;
  // The render request repeats this URL (percent-encoded, so up to three times longer) in its request line: refuse
  // what would pass Node.js's header limit there instead of sending a request that can never be answered.
  if (target.length > MAX_RENDER_URL) return wordsAnswer(414, 'This address is too long', `A dashboard address has at most ${MAX_RENDER_URL} characters; this one has ${target.length}. Remove some filters and try again.`);
  let result;
  try {
    result = await cachedPage(pageCacheKey(principal, pathname, search), stamp, maxBytes, (extra) =>
      fetch(`${selfOrigin(settings)}${target}`, {
        headers: { ...credentials, ...extra },
        redirect: 'manual',
        cache: 'no-store',
        signal: AbortSignal.timeout(RENDER_TIMEOUT_MS),
      }),
    );
  } catch (err) {
    // Never cached (lib/page-cache.ts forgets a render that failed); answered in words rather than rendered again.
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    console.error(`page cache: ${target} could not be rendered${timedOut ? ` within ${RENDER_TIMEOUT_MS / 1000} s` : ''}:`, err instanceof Error ? err.message : err);
    return wordsAnswer(
      503,
      'This page could not be prepared just now',
      timedOut ? `It took longer than ${RENDER_TIMEOUT_MS / 1000} seconds. Try again in a moment, or narrow the filters.` : 'Try again in a moment.',
      { 'Retry-After': '10' },
    );
  }
  if (!result) return null;
  // A page rendered for the cache audited its own record view; one served from it is audited here.
  if (result.hit && PAGES_SHOWING_RECORDS.has(route) && roleHas(principal.role, 'records'))
    audit(getStore(), { actor: principal, action: 'record_view', outcome: 'allowed', target: pathname, filters: searchParams, detail: 'served from the page cache' });
  const response = new NextResponse(result.page.body, {
    status: 200,
    headers: {
      'Content-Type': result.page.contentType,
      'Cache-Control': 'private, no-cache, no-store, max-age=0, must-revalidate',
      [CACHE_STATUS_HEADER]: result.hit ? 'hit' : 'miss',
    },
  });
  // The policy the page was made with: its scripts carry that nonce.
  return withHeaders(response, result.page.csp);
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce);
  // Trailing slashes are redirected here rather than by Next.js (skipTrailingSlashRedirect), so that the redirect
  // carries the security headers like every other answer.
  const { pathname, search } = request.nextUrl;
  if (pathname.length > 1 && pathname.endsWith('/')) {
    const to = new URL(`${pathname.replace(/\/+$/, '') || '/'}${search}`, request.url);
    return withHeaders(NextResponse.redirect(to, 308), csp);
  }
  const path = routePath(request.nextUrl.pathname);
  const match = ruleOfPath(path);
  if (match && match.rule !== 'public') {
    const api = path.startsWith('/api/');
    let auth: Awaited<ReturnType<typeof authenticate>> | null = null;
    try {
      auth = await authenticate(getStore(), request.headers);
    } catch (err) {
      // The page or route explains a database that cannot be opened.
      if (!(err instanceof StoreOpenError)) throw err;
    }
    if (auth && !auth.principal) {
      if (api) return withHeaders(NextResponse.json({ error: { message: SIGN_IN_FIRST, issues: [] } }, { status: 401, headers: { 'Cache-Control': 'no-store' } }), csp);
      const to = new URL('/sign-in', request.url);
      to.searchParams.set('next', `${request.nextUrl.pathname}${request.nextUrl.search}`);
      if (auth.problem === 'session expired') to.searchParams.set('expired', '1');
      return withHeaders(NextResponse.redirect(to, 303), csp);
    }
    if (auth?.principal && !roleHas(auth.principal.role, match.rule)) {
      audit(getStore(), { actor: auth.principal, action: 'refused', outcome: 'refused', target: path, filters: request.nextUrl.searchParams, detail: `needs ${CAPABILITIES[match.rule]}` });
      const refused = api
        ? NextResponse.json({ error: { message: refusalMessage(match.route), issues: [] } }, { status: 403 })
        : new NextResponse(FORBIDDEN_PAGE, { status: 403, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      refused.headers.set('Cache-Control', 'no-store');
      return withHeaders(refused, csp);
    }
    if (auth?.principal) {
      const cached = await fromPageCache(request, auth.principal, match.route);
      if (cached) return cached;
    }
  }
  const headers = new Headers(request.headers);
  // Next.js reads the nonce from the request's CSP and puts it on its scripts.
  headers.set('Content-Security-Policy', csp);
  return withHeaders(NextResponse.next({ request: { headers } }), csp);
}

export const config = {
  // Not static files (next.config.js gives them their headers), and not uploads, which the proxy would buffer. Exact
  // paths only: anything else (/icon.svgx, /api/v1/imports/x) passes through here and gets its headers.
  matcher: ['/((?!_next/static/|_next/image$|icon\\.svg$|favicon\\.ico$|api/v1/imports$).*)'],
};
