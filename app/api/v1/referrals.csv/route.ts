import { getDb } from '@/db/client';
import { errorResponse } from '@/lib/api/json-route';
import { FilterError, parseFilters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';
import { referralSortParam } from '@/lib/api/params';
import { referralsCsv } from '@/lib/referrals';

export const dynamic = 'force-dynamic';


/** The records under the filters as CSV, streamed (API.md: exports). */
export async function GET(request: Request): Promise<Response> {
  let parsed;
  try {
    parsed = parseFilters(new URL(request.url).searchParams, {
      sort: referralSortParam,
    });
  } catch (err) {
    if (err instanceof FilterError) return errorResponse(400, `Invalid query parameters: ${err.message}`, err.issues);
    throw err;
  }
  const { filters, extra } = parsed;
  const db = getDb();
  // Access control (a later issue) will decide who sees URLs; until then the API has no roles.
  const pieces = referralsCsv(db, filters, { sort: extra.sort ?? '-referred_at', includeUrls: true });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      try {
        const next = pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        console.error('CSV export failed', err);
        controller.error(err);
      }
    },
    cancel() {
      pieces.return(undefined);
    },
  });
  const stamp = formatInstant(filters.asOf).replaceAll(':', '').replace(/Z$/, 'Z');
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="referrals-as-of-${stamp}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
