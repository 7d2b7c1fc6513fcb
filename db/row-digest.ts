// A 53-bit digest of a referral's stored values (two 32-bit multiplicative
// lanes, cyrb53-style finish). Re-importing an unchanged row then costs one
// small read instead of reading back and comparing eighteen values. Two
// different rows share a digest with probability about 2^-53.
import type { StoredValue } from './rows';

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

export function rowDigest(values: readonly StoredValue[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let v = 0; v < values.length; v++) {
    const value = values[v];
    // A type tag per field keeps null, '' and 0 apart and the fields separate.
    let tag: number;
    if (value === null) tag = 0x100001;
    else if (typeof value === 'number') {
      tag = 0x100002;
      float[0] = value;
      h1 = Math.imul(h1 ^ words[0], 2654435761);
      h2 = Math.imul(h2 ^ words[1], 1597334677);
    } else {
      tag = 0x100003 + value.length;
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 2654435761);
        h2 = Math.imul(h2 ^ c, 1597334677);
      }
    }
    h1 = Math.imul(h1 ^ tag, 2654435761);
    h2 = Math.imul(h2 ^ tag, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
