import { csvPiecesOf } from '@/lib/csv';
import { errorResponse } from '@/lib/api/json-route';
import { audit } from '@/lib/auth/audit';
import { guarded } from '@/lib/auth/guard';
import { attachment } from '@/lib/export-name';

export const dynamic = 'force-dynamic';

/** A refused batch's row errors as CSV: line, field, message (cells a spreadsheet would run are neutralised). */
export const GET = guarded<{ batch: string }>('/import/[batch]/errors.csv', async (request, { store, principal, params }) => {
  const id = /^[1-9]\d{0,9}$/.test(params.batch) ? Number(params.batch) : null;
  const batch = id === null ? undefined : await store.imports.get(id);
  if (!batch) return errorResponse(404, `There is no import batch ${params.batch}.`);
  audit(store, { actor: principal, action: 'export', outcome: 'allowed', target: new URL(request.url).pathname });
  const pieces = csvPiecesOf(['line', 'field', 'message'], store.imports.iterateErrors(batch.id), (e) => [e.line, e.field, e.message]);
  let body = '';
  for await (const piece of pieces) body += piece;
  return new Response(body, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`import-batch-${batch.id}-errors.csv`) },
  });
});
