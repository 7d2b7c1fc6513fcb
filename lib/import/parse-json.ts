// JSON import: a top-level array of objects, or NDJSON (one object a line;
// objects separated by any white space are accepted). Fed text in pieces;
// each object is cut out by a small scanner and handed to JSON.parse, so
// memory is bounded by the largest object, not the file.
import { StructuralError } from './errors';

export interface JsonRecord {
  line: number;
  value: unknown;
}

type Mode = 'start' | 'array' | 'sequence' | 'done';

export class JsonParser {
  private buffer = '';
  private line = 1;
  private mode: Mode = 'start';
  /** In array mode: true when the next token must be a value (after '[' or ','). */
  private expectValue = true;
  private sawComma = false;

  constructor(private readonly onRecord: (record: JsonRecord) => void) {}

  push(text: string, final = false): void {
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    const buf = this.buffer;
    const len = buf.length;
    let pos = 0;
    let line = this.line;
    for (;;) {
      // Skip white space, counting lines.
      while (pos < len) {
        const c = buf.charCodeAt(pos);
        if (c === 10) line++;
        else if (c !== 32 && c !== 9 && c !== 13) break;
        pos++;
      }
      if (pos >= len) break;
      const ch = buf[pos];
      if (this.mode === 'done') throw new StructuralError(line, `malformed JSON at line ${line}: unexpected '${ch}' after the closing ']' of the array`);
      if (this.mode === 'start') {
        if (ch === '[') {
          this.mode = 'array';
          pos++;
          continue;
        }
        if (ch === '{') {
          this.mode = 'sequence';
          continue;
        }
        throw new StructuralError(line, `malformed JSON at line ${line}: expected an array of objects or one object a line, found '${ch}'`);
      }
      if (this.mode === 'array') {
        if (ch === ']') {
          if (this.sawComma) throw new StructuralError(line, `malformed JSON at line ${line}: a comma before ']'`);
          this.mode = 'done';
          pos++;
          continue;
        }
        if (ch === ',') {
          if (this.expectValue) throw new StructuralError(line, `malformed JSON at line ${line}: unexpected ','`);
          this.expectValue = true;
          this.sawComma = true;
          pos++;
          continue;
        }
        if (!this.expectValue) throw new StructuralError(line, `malformed JSON at line ${line}: expected ',' or ']' between objects, found '${ch}'`);
      }
      // A value: each record must be an object.
      if (ch !== '{') throw new StructuralError(line, `malformed JSON at line ${line}: each record must be an object, found '${ch}'`);
      const end = findObjectEnd(buf, pos);
      if (end === -1) break; // incomplete: wait for more text
      const objectText = buf.slice(pos, end);
      let value: unknown;
      try {
        value = JSON.parse(objectText);
      } catch (err) {
        throw new StructuralError(lineOfError(err, objectText, line), `malformed JSON at line ${lineOfError(err, objectText, line)}: ${jsonMessage(err)}`);
      }
      this.onRecord({ line, value });
      for (let i = objectText.indexOf('\n'); i !== -1; i = objectText.indexOf('\n', i + 1)) line++;
      pos = end;
      this.expectValue = false;
      this.sawComma = false;
    }
    this.buffer = pos >= len ? '' : buf.slice(pos);
    this.line = line;
    if (final) {
      if (this.buffer.length > 0) throw new StructuralError(line, `malformed JSON at line ${line}: the object that starts here never ends (unclosed brace or string)`);
      if (this.mode === 'array') throw new StructuralError(line, `malformed JSON at line ${line}: the array is not closed with ']'`);
    }
  }
}

/** Index just past the '}' closing the object at `start`, or -1 if the text ends first. */
function findObjectEnd(buf: string, start: number): number {
  let depth = 0;
  const len = buf.length;
  for (let i = start; i < len; i++) {
    const c = buf.charCodeAt(i);
    if (c === 34) {
      // Skip a string, honouring backslash escapes.
      i++;
      while (i < len) {
        const s = buf.charCodeAt(i);
        if (s === 92) i += 2;
        else if (s === 34) break;
        else i++;
      }
      if (i >= len) return -1;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function jsonMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^SyntaxError:\s*/, '').replace(/\s*\(line \d+ column \d+\)/, '');
}

function lineOfError(err: unknown, text: string, startLine: number): number {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  if (!m) return startLine;
  const upTo = text.slice(0, Number(m[1]));
  let n = startLine;
  for (let i = upTo.indexOf('\n'); i !== -1; i = upTo.indexOf('\n', i + 1)) n++;
  return n;
}
