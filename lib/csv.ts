// Writing CSV (RFC 4180) for error reports and exports.

/** UTF-8 byte order mark: spreadsheet programs then read non-Latin text correctly. */
export const CSV_BOM = '\uFEFF';

/** Quotes a value when it holds a comma, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

// Only text starting with '-' can be both a number and a formula start.
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * OWASP "CSV injection": a spreadsheet must never run a cell as a formula.
 * Text starting with = + - @ a tab or a carriage return gets an apostrophe
 * in front (spreadsheets show it as plain text), and so does text already
 * starting with an apostrophe, so that removing one leading apostrophe
 * always gives the value back. A plain number, negative or not, stays a number.
 */
export function neutraliseCell(value: string | number | null | undefined): string | number | null | undefined {
  if (typeof value !== 'string' || NEGATIVE_NUMBER.test(value)) return value;
  return /^[=+\-@\t\r']/.test(value) ? `'${value}` : value;
}

/**
 * Rows of CSV in pieces of about 64 KiB, BOM first, each value neutralised:
 * the one way every export writes its file.
 */
export function* csvPieces<T>(header: readonly string[], rows: Iterable<T>, values: (row: T) => ReadonlyArray<string | number | null | undefined>): Generator<string> {
  let chunk = CSV_BOM + csvLine(header);
  for (const row of rows) {
    chunk += csvLine(values(row).map(neutraliseCell));
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
