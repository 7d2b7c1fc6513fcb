/** A fault that makes the rest of the file unreadable (bad encoding, unclosed quote, broken JSON). */
export class StructuralError extends Error {
  constructor(
    readonly line: number,
    message: string,
    readonly field = '',
    /** Several problems found at once (e.g. every fault of a header). */
    readonly errors: { line: number; field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'StructuralError';
  }
}

/** The caller asked for something impossible (missing file, unknown format). */
export class ImportUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportUsageError';
  }
}
