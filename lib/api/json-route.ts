// Every JSON read endpoint: parse the filters (400 naming the parameter),
// answer from the result cache for (path, filters, data version) or
// compute, echo as_of and the filters, and never leak a stack trace.
import { createHash } from 'node:crypto';
import { DatabaseOpenError, getDb, type Db } from '@/db/client';
import { getDataVersion } from '@/db/queries/facts';
import { describeFilters, FilterError, parseFilters, type ExtraParams, type Parsed } from '@/lib/filters';
import { ResultCache } from '@/lib/metrics/result-cache';

const cache = new ResultCache(500);

export function errorResponse(status: number, message: string, issues: { param: string; message: string }[] = []): Response {
  return Response.json({ error: { message, issues } }, { status, headers: { 'Cache-Control': 'no-store' } });
}

export function jsonRoute<E extends ExtraParams>(extra: E, compute: (db: Db, parsed: Parsed<E>) => object) {
  return async function GET(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const parsed = parseFilters(url.searchParams, extra);
      const db = getDb();
      const version = getDataVersion(db);
      const key = `${url.pathname}?${canonical(parsed)}`;
      const etag = `"v${version}-${createHash('sha1').update(key).digest('base64url').slice(0, 16)}"`;
      if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
      const body = cache.get(key, version, () => JSON.stringify({ filters: describeFilters(parsed.filters), ...compute(db, parsed) }));
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          // Figures change with every import: browsers keep them but ask again (cheap, with the ETag).
          'Cache-Control': 'private, no-cache',
          ETag: etag,
        },
      });
    } catch (err) {
      if (err instanceof FilterError) return errorResponse(400, `Invalid query parameters: ${err.message}`, err.issues);
      if (err instanceof DatabaseOpenError) return errorResponse(503, err.message);
      console.error('API error', err);
      return errorResponse(500, 'The server could not compute this answer; the error is in the server log.');
    }
  };
}

function canonical(parsed: Parsed<ExtraParams>): string {
  return JSON.stringify([describeFilters(parsed.filters), Object.entries(parsed.extra).sort(([a], [b]) => (a < b ? -1 : 1))]);
}
