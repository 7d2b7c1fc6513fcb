// The child process of an import from the browser (lib/import/uploads.ts):
// the same import function as `npm run import`, then the batch's row
// errors stored for its page; prints the result as one line of JSON and
// removes the uploaded file. Not a command for people: use npm run import.
import fs from 'node:fs';
import { openStore } from '@/db/open';
import { ImportUsageError, StructuralError } from '@/lib/import/errors';
import { ImportFailedError, importFile, type ImportFormat } from '@/lib/import/import';
import { KEPT_ERRORS, type JobRequest, type JobResult } from '@/lib/import/uploads';
import type { RowError } from '@/lib/import/validate-row';

async function main(): Promise<JobResult> {
  // One JSON argument (lib/import/uploads.ts): nothing in it is ever read as an option.
  const job = JSON.parse(process.argv[2] ?? '{}') as JobRequest;
  const file = job.file;
  const empty = { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errorCount: 0 };
  const store = openStore();
  const kept: RowError[] = [];
  try {
    const result = await importFile(store, file, {
      fileName: job.fileName,
      actor: job.actor,
      format: job.format as ImportFormat | undefined,
      maxErrorsKept: 0,
      onError: (e) => {
        if (kept.length < KEPT_ERRORS) kept.push(e);
      },
    });
    if (kept.length > 0) await store.imports.storeErrors(result.batchId, kept);
    const { rows, inserted, updated, unchanged, rejected, errorCount } = result;
    return { ok: result.status === 'committed', batchId: result.batchId, status: result.status, message: result.message, rows, inserted, updated, unchanged, rejected, errorCount };
  } catch (err) {
    if (err instanceof StructuralError) return { ok: false, batchId: null, status: 'failed', message: `line ${err.line}: ${err.message}`, ...empty };
    if (err instanceof ImportUsageError) return { ok: false, batchId: null, status: 'failed', message: err.message, ...empty };
    if (err instanceof ImportFailedError) return { ok: false, batchId: err.batchId, status: 'failed', message: err.message, ...empty };
    throw err;
  } finally {
    await store.close();
    fs.rmSync(file, { force: true });
  }
}

main().then(
  (result) => console.log(JSON.stringify(result)),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
