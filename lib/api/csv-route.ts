// Every CSV export: check who asks (exports need the analyst role), parse
// the filters (400 naming the parameter), audit the export, then stream the
// file: pieces are encoded as the client reads them, so a million rows
// never sit in memory at once. The file name is the server's.
import { currentFacts } from '@/lib/metrics/fact-store';
import { FilterError, parseFilters, type ExtraParams, type Parsed } from '@/lib/filters';
import { attachment } from '@/lib/export-name';
import { audit } from '@/lib/auth/audit';
import { guarded } from '@/lib/auth/guard';
import type { Principal } from '@/lib/auth/roles';
import type { Endpoint } from './endpoints';
import type { RouteData } from './json-route';
import { errorResponse } from './json-route';

export function csvRoute<E extends ExtraParams>(
  endpoint: Endpoint<E>,
  exportOf: (sources: RouteData, parsed: Parsed<E>, principal: Principal) => { pieces: Generator<string> | AsyncGenerator<string>; fileName: string },
) {
  return guarded(endpoint.route, async (request, { store, principal }) => {
    const url = new URL(request.url);
    let csv: { pieces: Generator<string> | AsyncGenerator<string>; fileName: string };
    try {
      const parsed = parseFilters(url.searchParams, endpoint.params);
      csv = exportOf({ store, data: await currentFacts(store) }, parsed, principal);
    } catch (err) {
      if (err instanceof FilterError) return errorResponse(400, `Invalid query parameters: ${err.message}`, err.issues);
      throw err;
    }
    audit(store, { actor: principal, action: 'export', outcome: 'allowed', target: url.pathname, filters: url.searchParams, detail: csv.fileName });
    const { pieces } = csv;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await pieces.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (err) {
          // The headers are sent by now: the download ends in error rather than looking complete.
          console.error('CSV export failed', err);
          controller.error(err);
        }
      },
      async cancel() {
        await pieces.return(undefined);
      },
    });
    return new Response(stream, {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(csv.fileName), 'Cache-Control': 'no-store' },
    });
  });
}
