// npm run import -- <file> [--format csv|json|ndjson] [--report errors.csv] [--ignore-column NAME]…
// Exit codes: 0 committed, 1 rejected (or failed and rolled back), 2 usage error.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { openStore } from '@/db/open';
import { StoreOpenError } from '@/db/store';
import { ImportUsageError } from '@/lib/import/errors';
import { ImportFailedError, importFile, type ImportFormat } from '@/lib/import/import';
import { describeImport } from '@/lib/import/summary';
import { csvLine, neutraliseCell } from '@/lib/csv';

const USAGE = 'usage: npm run import -- <file> [--format csv|json|ndjson] [--report errors.csv] [--ignore-column NAME]…';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        report: { type: 'string' },
        'ignore-column': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    console.error(`give exactly one file to import\n${USAGE}`);
    return 2;
  }
  const format = args.values.format;
  if (format !== undefined && !['csv', 'json', 'ndjson'].includes(format)) {
    console.error(`unknown --format '${format}': use csv, json or ndjson\n${USAGE}`);
    return 2;
  }
  const file = args.positionals[0];
  const reportPath = args.values.report;
  let reportFd: number | null = null;
  try {
    const store = openStore();
    if (reportPath) {
      reportFd = fs.openSync(reportPath, 'w');
      fs.writeSync(reportFd, csvLine(['line', 'field', 'message']));
    }
    const fd = reportFd;
    const result = await importFile(store, file, {
      format: format as ImportFormat | undefined,
      actor: `cli:${os.userInfo().username}`,
      ignoreColumns: args.values['ignore-column'] ?? [],
      onError: fd === null ? undefined : (e) => fs.writeSync(fd, csvLine([e.line, e.field, e.message].map(neutraliseCell))),
    });
    const text = describeImport(result);
    if (result.status === 'committed') console.log(text);
    else console.error(text);
    if (reportPath && result.errorCount > 0) console.error(`  All errors written to ${reportPath}`);
    await store.close();
    return result.status === 'committed' ? 0 : 1;
  } catch (err) {
    if (err instanceof ImportUsageError) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof ImportFailedError || err instanceof StoreOpenError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    if (reportFd !== null) fs.closeSync(reportFd);
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
