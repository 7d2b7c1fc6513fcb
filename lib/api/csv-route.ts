// Every CSV export: parse the filters (400 naming the parameter), then
// stream the file: pieces are encoded as the client reads them, so a
// million rows never sit in memory at once. The file name is the server's.
import { DatabaseOpenError, getDb, type Db } from '@/db/client';
import { FilterError, parseFilters, type ExtraParams, type Parsed } from '@/lib/filters';
import { attachment } from '@/lib/export-name';
import { errorResponse } from './json-route';

export function csvRoute<E extends ExtraParams>(extra: E, exportOf: (db: Db, parsed: Parsed<E>) => { pieces: Generator<string>; fileName: string }) {
  return async function GET(request: Request): Promise<Response> {
    let csv: { pieces: Generator<string>; fileName: string };
    try {
      csv = exportOf(getDb(), parseFilters(new URL(request.url).searchParams, extra));
    } catch (err) {
      if (err instanceof FilterError) return errorResponse(400, `Invalid query parameters: ${err.message}`, err.issues);
      if (err instanceof DatabaseOpenError) return errorResponse(503, err.message);
      console.error('CSV export error', err);
      return errorResponse(500, 'The server could not prepare this export; the error is in the server log.');
    }
    const { pieces } = csv;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        try {
          const next = pieces.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (err) {
          // The headers are sent by now: the download ends in error rather than looking complete.
          console.error('CSV export failed', err);
          controller.error(err);
        }
      },
      cancel() {
        pieces.return(undefined);
      },
    });
    return new Response(stream, {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(csv.fileName), 'Cache-Control': 'private, no-store' },
    });
  };
}
