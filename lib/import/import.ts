// The one write path for referrals (DATA-MODEL.md, "Import"): all or
// nothing, idempotent upsert by referral_id, history of every change, and a
// batch row for every attempt. The command line, the HTTP upload and the
// demo generator all come through `runImport`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REFERENCE_TABLES, type BatchRecord, type ImportBatch, type ReferenceTable } from '@/db/rows';
import type { Store } from '@/db/store';
import { ImportUsageError, StructuralError } from './errors';
import { readTextChunks } from './read-text';
import { csvRecordSource, jsonRecordSource, type RecordSink } from './sources';
import { validateRecord, type RowError } from './validate-row';

export type ImportFormat = 'csv' | 'json' | 'ndjson';
export type BatchFormat = ImportFormat | 'generator';

export interface ImportOptions {
  /** Who imports: a user, or 'cli:<os user>'. */
  actor?: string;
  /** Clock for the "not in the future" rule; tests pin it. */
  now?: number;
  /** CSV columns to skip instead of refusing the file. */
  ignoreColumns?: readonly string[];
  /** How many errors to keep in the result (all are passed to onError). */
  maxErrorsKept?: number;
  onError?: (error: RowError) => void;
  /** Runs inside the transaction before the first row (e.g. reference data). */
  prepare?: (tx: Store) => Promise<void>;
  /** Runs inside the transaction just before commit. */
  finish?: (tx: Store) => Promise<void>;
}

/** An import's outcome: its batch record (counts as db/rows.ts ImportBatch has them), the errors kept, and the codes it created. */
export interface ImportResult extends Pick<ImportBatch, 'status' | 'fileName' | 'format' | 'sha256' | 'rows' | 'inserted' | 'updated' | 'unchanged' | 'rejected' | 'errorCount' | 'message'> {
  batchId: number;
  errors: RowError[];
  /** True when more errors exist than `errors` holds. */
  errorsTruncated: boolean;
  /** Reference codes met for the first time and created. */
  createdCodes: Record<ReferenceTable, string[]>;
}

/** Thrown when the database itself fails mid-import (disk full, I/O error); nothing was written. */
export class ImportFailedError extends Error {
  constructor(
    message: string,
    readonly batchId: number | null,
  ) {
    super(message);
    this.name = 'ImportFailedError';
  }
}

/**
 * Feeds records to the sink, waiting for `drained()` every few thousand
 * records (the engine's back-pressure: PostgreSQL sends the rows on while
 * the file is read), and answers the SHA-256 of the source's bytes.
 */
export type RecordFeed = (sink: RecordSink, drained: () => Promise<void>) => Promise<string>;

export interface BatchSource {
  fileName: string;
  format: BatchFormat;
  feed: RecordFeed;
}

const DEFAULT_MAX_ERRORS_KEPT = 1000;

/** Imports one file. Throws ImportUsageError for a missing file or unknown format. */
export function importFile(store: Store, file: string, options: ImportOptions & { format?: ImportFormat; fileName?: string } = {}): Promise<ImportResult> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ImportUsageError(`no such file: ${file}`);
  }
  if (!stat.isFile()) throw new ImportUsageError(`not a file: ${file}`);
  const format = options.format ?? detectFormat(file);
  const feed: RecordFeed = (sink, drained) => {
    const consume = format === 'csv' ? csvRecordSource(sink, options.ignoreColumns ?? []) : jsonRecordSource(sink);
    return readTextChunks(file, (text, final) => {
      consume(text, final);
      return drained();
    });
  };
  return runImport(store, { fileName: options.fileName ?? path.basename(file), format, feed }, options);
}

export function detectFormat(file: string): ImportFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  // No telling extension: look at the first character that is not white space.
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const first = head.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
    return first === '[' || first === '{' ? 'json' : 'csv';
  } finally {
    fs.closeSync(fd);
  }
}

export function emptyCreatedCodes(): Record<ReferenceTable, string[]> {
  return { platforms: [], groups: [], units: [], campaigns: [] };
}

export async function runImport(store: Store, source: BatchSource, options: ImportOptions = {}): Promise<ImportResult> {
  const nowMs = options.now ?? Date.now();
  const startedAt = Date.now();
  const maxKept = options.maxErrorsKept ?? DEFAULT_MAX_ERRORS_KEPT;
  const errors: RowError[] = [];
  let errorCount = 0;
  const report = (e: RowError) => {
    errorCount++;
    if (errors.length < maxKept) errors.push(e);
    options.onError?.(e);
  };
  const counts = { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  let created = emptyCreatedCodes();
  let sha256 = '';
  let message: string | null = null;
  const batch = (status: BatchRecord['status']): BatchRecord => ({
    fileName: source.fileName,
    sha256,
    format: source.format,
    actor: options.actor ?? 'unknown',
    startedAt,
    finishedAt: Date.now(),
    status,
    ...counts,
    errorCount,
    createdCodes: JSON.stringify(created),
    message,
  });

  let run: { batchId: number; committed: boolean };
  try {
    run = await store.imports.run(batch('committed'), async (session, tx) => {
      await options.prepare?.(tx);
      const scratch: RowError[] = [];

      const sink: RecordSink = (line, values, sourceErrors) => {
        counts.rows++;
        scratch.length = 0;
        let row = null;
        if (sourceErrors) scratch.push(...sourceErrors);
        // A record the source could not read as a whole (wrong field count, not an object) is not validated field by field.
        if (!sourceErrors?.some((e) => e.field === '')) row = validateRecord(line, values, nowMs, scratch);
        // DATA-MODEL.md: the same referral_id twice in one file is an error.
        const rawId = values.referral_id;
        const referralId = typeof rawId === 'string' ? rawId.trim() : typeof rawId === 'number' ? String(rawId) : '';
        if (referralId !== '' && referralId.length <= 128) {
          const firstLine = session.seen(referralId, line);
          if (firstLine !== null)
            scratch.push({ line, field: 'referral_id', message: `referral_id '${referralId}' appears twice in the file: first on line ${firstLine}` });
        }
        if (scratch.length > 0) {
          counts.rejected++;
          for (const e of scratch) report(e);
          return;
        }
        // After the first bad row nothing will be committed: only validate.
        if (errorCount > 0 || row === null) return;
        session.put(row);
      };

      try {
        sha256 = await source.feed(sink, () => session.drained());
      } catch (err) {
        if (!(err instanceof StructuralError)) throw err;
        if (err.errors.length > 0) for (const e of err.errors) report(e);
        else report({ line: err.line, field: err.field, message: err.message });
        message = err.message;
      }
      if (errorCount > 0) {
        message ??= `${counts.rejected} of ${counts.rows} rows have errors; nothing was imported`;
        return null;
      }
      Object.assign(counts, await session.finish());
      await options.finish?.(tx);
      created = copyCodes(session.createdCodes);
      return batch('committed');
    });
  } catch (err) {
    if (err instanceof StructuralError || err instanceof ImportUsageError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    message = `the import failed and was rolled back, nothing was written: ${reason}`;
    let failedBatch: number | null = null;
    try {
      created = emptyCreatedCodes();
      failedBatch = await store.imports.record({ ...batch('rejected'), inserted: 0, updated: 0, unchanged: 0 });
    } catch {
      // The database cannot take even the batch row (e.g. the disk is full).
    }
    throw new ImportFailedError(message, failedBatch);
  }

  let batchId = run.batchId;
  if (!run.committed) {
    // Record the rejected attempt on its own; the rows themselves were rolled back.
    Object.assign(counts, { inserted: 0, updated: 0, unchanged: 0 });
    created = emptyCreatedCodes();
    batchId = await store.imports.record(batch('rejected'));
  }
  return {
    batchId,
    status: run.committed ? 'committed' : 'rejected',
    fileName: source.fileName,
    format: source.format,
    sha256,
    ...counts,
    errorCount,
    errors,
    errorsTruncated: errorCount > errors.length,
    createdCodes: created,
    message,
  };
}

function copyCodes(codes: Readonly<Record<ReferenceTable, readonly string[]>>): Record<ReferenceTable, string[]> {
  const out = emptyCreatedCodes();
  for (const table of REFERENCE_TABLES) out[table] = [...codes[table]];
  return out;
}

/** SHA-256 of a string, for sources that are not files. */
export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
