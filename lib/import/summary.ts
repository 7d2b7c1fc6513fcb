// The import result in words, for the command line (and logs).
import type { ImportResult } from './import';

const SHOWN_ERRORS = 20;

export function describeImport(result: ImportResult): string {
  const lines: string[] = [];
  const head = `Batch ${result.batchId} ${result.status}: ${result.fileName} (${result.format}, sha256 ${result.sha256.slice(0, 12)}…)`;
  lines.push(head);
  if (result.status === 'committed') {
    lines.push(
      `  ${n(result.rows)} rows: ${n(result.inserted)} inserted, ${n(result.updated)} updated, ${n(result.unchanged)} unchanged`,
    );
    if (result.rows > 0 && result.unchanged === result.rows) lines.push('  Nothing changed: every row was already in the database as it is in this file.');
    const created = Object.entries(result.createdCodes).filter(([, codes]) => codes.length > 0);
    if (created.length > 0) {
      lines.push('  New codes created (name = code; edit names later):');
      for (const [table, codes] of created) lines.push(`    ${table}: ${codes.join(', ')}`);
    }
  } else {
    lines.push(`  Nothing was imported. ${result.message ?? ''}`.trimEnd());
    lines.push(`  ${n(result.errorCount)} error(s) in ${n(result.rejected)} of ${n(result.rows)} rows:`);
    for (const e of result.errors.slice(0, SHOWN_ERRORS)) lines.push(`    line ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.message}`);
    if (result.errorCount > SHOWN_ERRORS) lines.push(`    … and ${n(result.errorCount - SHOWN_ERRORS)} more (use --report FILE to write them all as CSV)`);
  }
  return lines.join('\n');
}

function n(x: number): string {
  return x.toLocaleString('en-GB');
}
