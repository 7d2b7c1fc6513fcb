// Every JSON read endpoint: check who asks (lib/auth/guard.ts), parse the
// filters (400 naming the parameter), answer from the result cache for
// (path, filters, data version) or compute, echo as_of and the filters, and
// never leak a stack trace.
import { createHash } from 'node:crypto';
import type { Store } from '@/db/store';
import { describeFilters, FilterError, parseFilters, type ExtraParams, type Parsed } from '@/lib/filters';
import { currentFacts } from '@/lib/metrics/fact-store';
import { dataOf, type Sources } from '@/lib/sources';
import { ResultCache } from '@/lib/metrics/result-cache';
import { API_CACHE_BYTES } from '@/lib/metrics/cache-budget';
import { nextTurn } from '@/lib/metrics/turns';
import { errorResponse, guarded } from '@/lib/auth/guard';
import type { Principal } from '@/lib/auth/roles';
import type { Endpoint } from './endpoints';

// (Compression is left to Next.js, which compresses route handlers' answers whatever they say they are.)
// JSON text: two bytes a character in memory.
const cache = new ResultCache<string>(API_CACHE_BYTES, (body) => body.length * 2);

export { errorResponse };

/** What a route computes from: the store (records, batches) and the facts of one data version (figures). */
export type RouteData = Sources;

export interface JsonRouteOptions {
  /** Called for each answer given (e.g. an audit entry for record views). */
  onAnswer?: (store: Store, principal: Principal, url: URL) => void;
}

export function jsonRoute<E extends ExtraParams>(
  endpoint: Endpoint<E>,
  compute: (sources: RouteData, parsed: Parsed<E>, principal: Principal) => object | Promise<object>,
  options: JsonRouteOptions = {},
) {
  return guarded(endpoint.route, async (request, { store, principal }) => {
    try {
      return await answer(request, store, principal);
    } catch (err) {
      // A parameter can also be refused while computing (e.g. a comparison without both ends).
      if (err instanceof FilterError) return errorResponse(400, `Invalid query parameters: ${err.message}`, err.issues);
      throw err;
    }
  });

  async function answer(request: Request, store: Store, principal: Principal): Promise<Response> {
    const url = new URL(request.url);
    const parsed = parseFilters(url.searchParams, endpoint.params);
    // Every figure of one answer comes from one snapshot of the facts.
    const data = await currentFacts(store);
    const version = data.version;
    // The answer may differ by role (e.g. records), never by user within a role.
    const key = `${url.pathname}?${principal.role}?${data.stale ? 'stale?' : ''}${canonical(parsed)}`;
    const etag = `"v${version}-${createHash('sha1').update(key).digest('base64url').slice(0, 16)}"`;
    options.onAnswer?.(store, principal, url);
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
    let body = cache.peek(key, version);
    if (body === undefined) {
      // In a turn of its own (lib/metrics/turns.ts): a request waiting behind this one is served first.
      await nextTurn();
      body = JSON.stringify({ filters: describeFilters(parsed.filters), data: dataOf(data), ...(await compute({ store, data }, parsed, principal)) });
      cache.put(key, version, body);
    }
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ETag: etag },
    });
  }
}

function canonical(parsed: Parsed<ExtraParams>): string {
  return JSON.stringify([describeFilters(parsed.filters), Object.entries(parsed.extra).sort(([a], [b]) => (a < b ? -1 : 1))]);
}
