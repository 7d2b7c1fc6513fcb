// Turn parsed CSV records and JSON objects into field maps for the importer,
// checking the shape of the file (header, column counts, keys) on the way.
import { clip } from '@/lib/instant';
import { StructuralError } from './errors';
import { CsvParser } from './parse-csv';
import { JsonParser } from './parse-json';
import { FIELDS, REQUIRED_FIELDS, isField, type RowError } from './validate-row';

/** Receives one record: its line, its values by field name, and errors found by the source itself. */
export type RecordSink = (line: number, values: Record<string, unknown>, sourceErrors: RowError[] | null) => void;
export type TextConsumer = (text: string, final: boolean) => void;

/** CSV: the first record is the header; columns in any order. */
export function csvRecordSource(sink: RecordSink, ignoreColumns: readonly string[]): TextConsumer {
  const ignore = new Set(ignoreColumns.map((c) => c.trim()));
  let columns: { field: string; index: number }[] | null = null;
  let width = 0;
  const parser = new CsvParser(({ line, fields }) => {
    if (columns === null) {
      columns = checkHeader(line, fields, ignore);
      width = fields.length;
      return;
    }
    if (fields.length !== width) {
      sink(line, {}, [{ line, field: '', message: `expected ${width} fields as in the header, found ${fields.length}` }]);
      return;
    }
    const values: Record<string, unknown> = {};
    for (const c of columns) values[c.field] = fields[c.index];
    sink(line, values, null);
  });
  return (text, final) => {
    parser.push(text, final);
    if (final && columns === null) throw new StructuralError(1, 'the file is empty: a CSV file needs at least a header row');
  };
}

function checkHeader(line: number, header: string[], ignore: ReadonlySet<string>): { field: string; index: number }[] {
  const problems: RowError[] = [];
  const columns: { field: string; index: number }[] = [];
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const name = raw.trim();
    if (ignore.has(name)) return;
    if (!isField(name)) {
      problems.push({ line, field: name, message: `unknown column '${clip(name)}' (column ${index + 1}); known columns: ${FIELDS.join(', ')}` });
      return;
    }
    if (seen.has(name)) {
      problems.push({ line, field: name, message: `column '${name}' appears twice in the header` });
      return;
    }
    seen.add(name);
    columns.push({ field: name, index });
  });
  for (const required of REQUIRED_FIELDS)
    if (!seen.has(required)) problems.push({ line, field: required, message: `missing required column '${required}'` });
  if (problems.length > 0) throw new StructuralError(line, problems.map((p) => p.message).join('; '), '', problems);
  return columns;
}

/** JSON array of objects, or NDJSON. Unknown keys are errors of that record. */
export function jsonRecordSource(sink: RecordSink): TextConsumer {
  const parser = new JsonParser(({ line, value }) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      sink(line, {}, [{ line, field: '', message: 'each record must be a JSON object' }]);
      return;
    }
    const values = value as Record<string, unknown>;
    let problems: RowError[] | null = null;
    for (const key of Object.keys(values)) {
      if (!isField(key)) (problems ??= []).push({ line, field: key, message: `unknown field '${clip(key)}'; known fields: ${FIELDS.join(', ')}` });
    }
    sink(line, values, problems);
  });
  return (text, final) => parser.push(text, final);
}
