// Every JSON read endpoint: check who asks (lib/auth/guard.ts), parse the
// filters (400 naming the parameter), answer from the result cache for
// (path, filters, data version) or compute, echo as_of and the filters, and
// never leak a stack trace.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Db } from '@/db/client';
import { getDataVersion } from '@/db/queries/facts';
import { describeFilters, FilterError, parseFilters, type ExtraParams, type Parsed } from '@/lib/filters';
import { ResultCache } from '@/lib/metrics/result-cache';
import { guarded } from '@/lib/auth/guard';
import type { Principal } from '@/lib/auth/roles';
import type { Route } from '@/lib/auth/rules';

// The JSON of an answer, and the same gzipped once it is first asked for compressed (large answers, such as a
// breakdown's Kaplan–Meier tables, would otherwise be compressed again for every request).
const cache = new ResultCache<{ json: string; gzip: Uint8Array<ArrayBuffer> | null }>(500);

export function errorResponse(status: number, message: string, issues: { param: string; message: string }[] = []): Response {
  return Response.json({ error: { message, issues } }, { status, headers: { 'Cache-Control': 'no-store' } });
}

export interface JsonRouteOptions {
  /** Called for each answer given (e.g. an audit entry for record views). */
  onAnswer?: (db: Db, principal: Principal, url: URL) => void;
}

export function jsonRoute<E extends ExtraParams>(route: Route, extra: E, compute: (db: Db, parsed: Parsed<E>, principal: Principal) => object, options: JsonRouteOptions = {}) {
  return guarded(route, (request, { db, principal }) => {
    try {
      return answer(request, db, principal);
    } catch (err) {
      // A parameter can also be refused while computing (e.g. a comparison without both ends).
      if (err instanceof FilterError) return errorResponse(400, `Invalid query parameters: ${err.message}`, err.issues);
      throw err;
    }
  });

  function answer(request: Request, db: Db, principal: Principal): Response {
    const url = new URL(request.url);
    const parsed = parseFilters(url.searchParams, extra);
    const version = getDataVersion(db);
    // The answer may differ by role (e.g. records), never by user within a role.
    const key = `${url.pathname}?${principal.role}?${canonical(parsed)}`;
    const etag = `"v${version}-${createHash('sha1').update(key).digest('base64url').slice(0, 16)}"`;
    options.onAnswer?.(db, principal, url);
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
    const answer = cache.get(key, version, () => ({ json: JSON.stringify({ filters: describeFilters(parsed.filters), ...compute(db, parsed, principal) }), gzip: null }));
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ETag: etag, Vary: 'Accept-Encoding' };
    if (answer.json.length >= 1024 && /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')) {
      answer.gzip ??= new Uint8Array(gzipSync(answer.json));
      return new Response(answer.gzip, { status: 200, headers: { ...headers, 'Content-Encoding': 'gzip' } });
    }
    return new Response(answer.json, { status: 200, headers });
  }
}

function canonical(parsed: Parsed<ExtraParams>): string {
  return JSON.stringify([describeFilters(parsed.filters), Object.entries(parsed.extra).sort(([a], [b]) => (a < b ? -1 : 1))]);
}
