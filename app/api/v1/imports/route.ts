// Imports for stewards: POST a CSV or JSON file (multipart form field
// `file`, from the import page or a script with an API token); GET the
// history of batches. The file is imported in a child process by the same
// function as `npm run import`; nothing is written unless the whole batch is good.
import { ENDPOINTS } from '@/lib/api/endpoints';
import { errorResponse } from '@/lib/api/json-route';
import { refuseQuery } from '@/lib/api/no-query';
import { audit } from '@/lib/auth/audit';
import { guarded } from '@/lib/auth/guard';
import { CROSS_ORIGIN_REFUSED, sameOrigin } from '@/lib/auth/origin';
import { claimImportSlot, cleanFileName, releaseImportSlot, runImportJob, runningImport, saveUpload } from '@/lib/import/uploads';
import { getSettings } from '@/lib/settings';
import { formatInstant } from '@/lib/instant';
import type { Store } from '@/db/store';
import type { Principal } from '@/lib/auth/roles';

export const dynamic = 'force-dynamic';

const FORMATS = ['csv', 'json', 'ndjson'];

export const GET = guarded(ENDPOINTS.imports.route, async (request, { store }) =>
  refuseQuery(request) ??
  Response.json({
    batches: (await store.imports.list(500)).map((b) => ({
      id: b.id,
      file_name: b.fileName,
      format: b.format,
      actor: b.actor,
      started_at: formatInstant(b.startedAt),
      finished_at: formatInstant(b.finishedAt),
      status: b.status,
      rows: b.rows,
      inserted: b.inserted,
      updated: b.updated,
      unchanged: b.unchanged,
      rejected: b.rejected,
      error_count: b.errorCount,
      message: b.message,
    })),
  }),
);

export const POST = guarded(ENDPOINTS.importFile.route, async (request, { store, principal }) => {
  const refused = refuseQuery(request);
  if (refused) return refused;
  // A browser's cookie must come from this site's own page; a script's token cannot be forged by another site.
  if (principal.via === 'session' && !sameOrigin(request)) return errorResponse(403, CROSS_ORIGIN_REFUSED);
  const browser = (request.headers.get('accept') ?? '').includes('text/html');
  const maxBytes = getSettings().IMPORT_MAX_MB * 1024 * 1024;
  const tooLarge = () => errorResponse(413, `The file is larger than the limit of ${getSettings().IMPORT_MAX_MB} MB (setting IMPORT_MAX_MB); nothing was imported.`);
  const length = Number(request.headers.get('content-length') ?? NaN);
  if (!Number.isFinite(length)) return errorResponse(411, 'Send the file with a Content-Length (a multipart form with the field "file").');
  // The form's boundaries and other fields take a few hundred bytes at most.
  if (length > maxBytes + 64 * 1024) return tooLarge();
  if (!claimImportSlot(principal.email)) {
    const running = runningImport();
    const message = `Another import is running${running ? ` since ${formatInstant(running.since)}` : ''}; one import runs at a time. Send this file again when it has finished; nothing was imported.`;
    if (browser) return new Response(null, { status: 303, headers: { Location: `/import?failed=${encodeURIComponent(message)}` } });
    return errorResponse(409, message);
  }
  try {
    return await importUpload(request, store, principal, browser, maxBytes, tooLarge);
  } finally {
    releaseImportSlot();
  }
});

async function importUpload(request: Request, store: Store, principal: Principal, browser: boolean, maxBytes: number, tooLarge: () => Response): Promise<Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return errorResponse(400, 'The upload is not a multipart form; send the file in the field "file".', [{ param: 'file', message: 'missing' }]);
  }
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0)
    return errorResponse(400, 'Choose a file to import: the form field "file" is missing or empty.', [{ param: 'file', message: 'missing or empty' }]);
  if (file.size > maxBytes) return tooLarge();
  const format = form.get('format');
  if (format !== null && format !== '' && (typeof format !== 'string' || !FORMATS.includes(format)))
    return errorResponse(400, 'format must be csv, json or ndjson (or left out to tell by the file name).', [{ param: 'format', message: 'unknown format' }]);
  const fileName = cleanFileName(file.name);
  const saved = await saveUpload(new Uint8Array(await file.arrayBuffer()), fileName);
  const result = await runImportJob({ file: saved, fileName, actor: principal.email, format: typeof format === 'string' && format ? format : undefined });
  audit(store, {
    actor: principal,
    action: 'import',
    outcome: result.ok ? 'allowed' : 'failed',
    target: result.batchId !== null ? `batch ${result.batchId}` : fileName,
    detail: result.ok
      ? `${fileName}: ${result.rows} rows, ${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged`
      : `${fileName}: ${result.message ?? 'rejected'}`,
  });
  if (browser) {
    const to = result.batchId !== null ? `/import/${result.batchId}` : `/import?failed=${encodeURIComponent(result.message ?? 'the import failed')}`;
    return new Response(null, { status: 303, headers: { Location: to } });
  }
  return Response.json({ result }, { status: result.ok ? 201 : 422 });
}
