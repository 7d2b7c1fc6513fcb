// Imports from the browser (stewards): the uploaded file is saved beside
// the database and imported in a child process running the same import
// function as the command line (scripts/import-job.ts), so a long import
// never holds up the server's requests. Row errors are kept in the
// database for the batch's page and its error report.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dataFolder } from '@/db/config';
import type { ImportResult } from './import';

/** At most this many row errors of one batch are kept (the count is always exact). */
export const KEPT_ERRORS = 100_000;

export function uploadsFolder(): string {
  return path.join(dataFolder(), 'uploads');
}

/** A safe file name to show and store: the base name, printable characters only, bounded. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim().slice(0, 200);
  return clean || 'upload';
}

/** Saves the bytes under a random name (the extension kept, for format detection); returns the path. */
export async function saveUpload(bytes: Uint8Array, fileName: string): Promise<string> {
  await fs.promises.mkdir(uploadsFolder(), { recursive: true });
  const ext = (path.extname(cleanFileName(fileName)).toLowerCase().match(/^\.(csv|json|ndjson|jsonl)$/)?.[0]) ?? '';
  const file = path.join(uploadsFolder(), `${Date.now()}-${randomBytes(6).toString('hex')}${ext}`);
  // Written without holding the server's one thread: a synchronous write of a large upload stalls every other request meanwhile.
  await fs.promises.writeFile(file, bytes, { flag: 'wx' });
  return file;
}

/** What the import job reports: the importer's counts, or why it did not run. */
export type JobResult = Pick<ImportResult, 'rows' | 'inserted' | 'updated' | 'unchanged' | 'rejected' | 'errorCount'> & {
  ok: boolean;
  batchId: number | null;
  status: 'committed' | 'rejected' | 'failed';
  message: string | null;
};

const tsxCli = () => path.join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** What the import job is told: one JSON argument, so that no file name can ever be read as an option. */
export interface JobRequest {
  file: string;
  fileName: string;
  actor: string;
  format?: string;
}

// One browser import at a time in this process (the importer's own rule is one writer per database): a second is
// refused in words before its upload is read, so that concurrent uploads never buffer more than one file.
const shared = globalThis as unknown as { takedownImportRunning?: { actor: string; since: number } | null };

/** The import running now in this process, or null. */
export function runningImport(): { actor: string; since: number } | null {
  return shared.takedownImportRunning ?? null;
}

/** Claims the one import place of this process; false if an import holds it. */
export function claimImportSlot(actor: string): boolean {
  if (shared.takedownImportRunning) return false;
  shared.takedownImportRunning = { actor, since: Date.now() };
  return true;
}

export function releaseImportSlot(): void {
  shared.takedownImportRunning = null;
}

/** Runs scripts/import-job.ts on the file in a child process; resolves with its result. The file is removed afterwards, whatever happened. */
export function runImportJob(job: JobRequest): Promise<JobResult> {
  const args = [tsxCli(), path.join(process.cwd(), 'scripts', 'import-job.ts'), JSON.stringify(job)];
  return new Promise<JobResult>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const fail = (message: string): JobResult => ({ ok: false, batchId: null, status: 'failed', message, rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errorCount: 0 });
    child.on('error', (e) => resolve(fail(`the import could not be started: ${e.message}`)));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as JobResult);
      } catch {
        console.error(`import job exited with ${code}:`, err.slice(-4000));
        resolve(fail('the import stopped unexpectedly; nothing was written (the details are in the server log)'));
      }
    });
  }).finally(() => fs.rmSync(job.file, { force: true }));
}
