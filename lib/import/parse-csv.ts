// RFC 4180 CSV, fed text in pieces so that a file of any size is read in
// bounded memory. Records are reported with the physical line they start on.
import { StructuralError } from './errors';

export interface CsvRecord {
  line: number;
  fields: string[];
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvParser {
  private buffer = '';
  /** Line number of the first character of `buffer`. */
  private line = 1;

  constructor(private readonly onRecord: (record: CsvRecord) => void) {}

  /** Feeds the next piece of text; `final` marks the end of the input. */
  push(text: string, final = false): void {
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    const buf = this.buffer;
    const len = buf.length;
    let pos = 0;
    let line = this.line;
    while (pos < len) {
      // Blank lines between records carry no data.
      const c0 = buf.charCodeAt(pos);
      if (c0 === LF) {
        pos++;
        line++;
        continue;
      }
      if (c0 === CR && pos + 1 < len && buf.charCodeAt(pos + 1) === LF) {
        pos += 2;
        line++;
        continue;
      }
      if (c0 === CR && pos + 1 >= len && !final) break;

      const startLine = line;
      const fields: string[] = [];
      let p = pos;
      let complete = false;
      for (;;) {
        if (p < len && buf.charCodeAt(p) === QUOTE) {
          // Quoted field: up to the next quote not followed by another.
          let q = buf.indexOf('"', p + 1);
          while (q !== -1 && q + 1 < len && buf.charCodeAt(q + 1) === QUOTE) q = buf.indexOf('"', q + 2);
          if (q === -1 || (q + 1 >= len && !final)) {
            if (final) throw new StructuralError(line, `unclosed quote: the quoted field that starts on line ${line} never ends`);
            break; // wait for more text
          }
          const raw = buf.slice(p + 1, q);
          line += countNewlines(raw);
          fields.push(raw.includes('""') ? raw.replaceAll('""', '"') : raw);
          p = q + 1;
          const c = p < len ? buf.charCodeAt(p) : -1;
          if (c === COMMA) {
            p++;
            continue;
          }
          if (c === LF) {
            p++;
            complete = true;
            break;
          }
          if (c === CR && p + 1 < len && buf.charCodeAt(p + 1) === LF) {
            p += 2;
            complete = true;
            break;
          }
          if (c === -1) {
            complete = final;
            break;
          }
          if (c === CR && !final && p + 1 >= len) break;
          throw new StructuralError(line, `line ${line}: unexpected text after the closing quote of field ${fields.length}; a quote inside a quoted field must be doubled ("")`);
        }
        // Unquoted field: up to the next comma or line end.
        let i = p;
        let c = -1;
        while (i < len) {
          c = buf.charCodeAt(i);
          if (c === COMMA || c === LF) break;
          if (c === QUOTE) throw new StructuralError(line, `line ${line}: a quote inside unquoted field ${fields.length + 1}; quote the whole field and double the quote ("")`);
          i++;
        }
        if (i >= len) {
          if (!final) break;
          fields.push(stripCr(buf.slice(p, i)));
          p = i;
          complete = true;
          break;
        }
        if (c === COMMA) {
          fields.push(buf.slice(p, i));
          p = i + 1;
          continue;
        }
        fields.push(stripCr(buf.slice(p, i)));
        p = i + 1;
        complete = true;
        break;
      }
      if (!complete) {
        line = startLine;
        break;
      }
      // The line counter advances past the record's terminating newline.
      if (p <= len && buf.charCodeAt(p - 1) === LF) line++;
      this.onRecord({ line: startLine, fields });
      pos = p;
    }
    this.buffer = pos >= len ? '' : buf.slice(pos);
    this.line = line;
    if (final && this.buffer.length > 0) {
      // Only a lone CR can remain at the very end.
      this.buffer = '';
    }
  }
}

function stripCr(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === CR ? s.slice(0, -1) : s;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
