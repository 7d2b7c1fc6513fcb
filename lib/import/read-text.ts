// Reads a file in fixed-size chunks: hashes the bytes (SHA-256) and decodes
// UTF-8 strictly, so memory stays bounded whatever the file size.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { StructuralError } from './errors';

const CHUNK_BYTES = 1 << 20;

/**
 * Calls `onText` with successive pieces of the decoded text (a leading BOM
 * removed) and `final = true` on the last, waiting for each call it answers
 * with a promise (the reader's back-pressure: the next piece is read only
 * when the last is taken); answers the SHA-256 of the bytes.
 */
export async function readTextChunks(file: string, onText: (text: string, final: boolean) => void | Promise<void>): Promise<string> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      const bytes = buffer.subarray(0, n);
      hash.update(bytes);
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: n > 0 });
      } catch {
        const where = locateInvalidUtf8(file);
        throw new StructuralError(where.line, `line ${where.line}: the file is not valid UTF-8 (byte offset ${where.offset}); save it as UTF-8 and import again`);
      }
      await onText(text, n === 0);
      if (n === 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Line and byte offset of the first byte sequence that is not UTF-8 (read in chunks). */
export function locateInvalidUtf8(file: string): { line: number; offset: number } {
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry = Buffer.alloc(0);
  let base = 0; // file offset of bytes[0]
  let line = 1;
  try {
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, CHUNK_BYTES, null);
      const bytes = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const atEnd = n === 0;
      let i = 0;
      while (i < bytes.length) {
        const b = bytes[i];
        let need: number;
        let min = 0;
        if (b < 0x80) need = 0;
        else if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
        else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
        else return { line, offset: base + i };
        if (i + need >= bytes.length) {
          if (atEnd) return { line, offset: base + i };
          break; // the sequence continues in the next chunk
        }
        let cp = need === 0 ? b : b & (0x3f >> need);
        for (let k = 1; k <= need; k++) {
          const c = bytes[i + k];
          if ((c & 0xc0) !== 0x80) return { line, offset: base + i };
          cp = (cp << 6) | (c & 0x3f);
        }
        if (need > 0 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return { line, offset: base + i };
        if (b === 0x0a) line++;
        i += need + 1;
      }
      if (atEnd) return { line, offset: base + bytes.length };
      carry = Buffer.from(bytes.subarray(i));
      base += i;
    }
  } finally {
    fs.closeSync(fd);
  }
}
