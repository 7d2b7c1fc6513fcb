// Reading PDFs back with poppler's pdftotext and pdfinfo (Debian: poppler-utils).
import { execFileSync } from 'node:child_process';

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

export function pdfPageSize(file: string): string {
  return /^Page size:\s+(.*)$/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1];
}

/** The text of every page, laid out as on the page (one string per page). */
export function pdfPageTexts(file: string): string[] {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
    .split('\f')
    .slice(0, pdfPages(file));
}

/** Whitespace collapsed, for comparing text across layout columns. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
