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

const PIECE_CHARS = 65_536;

/** Rows gathered into pieces of about 64 KiB, BOM and header first, each value neutralised. */
class Pieces {
  private chunk: string;

  constructor(header: readonly string[]) {
    this.chunk = CSV_BOM + csvLine(header);
  }

  /** Adds a row; a full piece when there is one to hand out. */
  add(values: ReadonlyArray<string | number | null | undefined>): string | null {
    this.chunk += csvLine(values.map(neutraliseCell));
    if (this.chunk.length <= PIECE_CHARS) return null;
    const full = this.chunk;
    this.chunk = '';
    return full;
  }

  rest(): string | null {
    return this.chunk || null;
  }
}

/** Rows of CSV in pieces: the one way every export writes its file. */
export function* csvPieces<T>(header: readonly string[], rows: Iterable<T>, values: (row: T) => ReadonlyArray<string | number | null | undefined>): Generator<string> {
  const pieces = new Pieces(header);
  for (const row of rows) {
    const full = pieces.add(values(row));
    if (full !== null) yield full;
  }
  const rest = pieces.rest();
  if (rest !== null) yield rest;
}

/** The same from rows the store streams (records, row errors). */
export async function* csvPiecesOf<T>(
  header: readonly string[],
  rows: AsyncIterable<T>,
  values: (row: T) => ReadonlyArray<string | number | null | undefined>,
): AsyncGenerator<string> {
  const pieces = new Pieces(header);
  for await (const row of rows) {
    const full = pieces.add(values(row));
    if (full !== null) yield full;
  }
  const rest = pieces.rest();
  if (rest !== null) yield rest;
}
