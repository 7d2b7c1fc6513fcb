// Writing CSV (RFC 4180). Used for error reports now and exports later.

/** Quotes a value when it holds a comma, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * A spreadsheet must never run a cell as a formula: text starting with
 * = + - @ or a tab or carriage return is prefixed with an apostrophe.
 */
export function neutraliseCell(value: string | number | null | undefined): string | number | null | undefined {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
