import { describe, expect, it } from 'vitest';
import { Random } from '@/lib/demo/random';
import { IdTable } from '@/db/id-table';

describe('IdTable', () => {
  it('answers as a Map does for 300,000 ids with repeats, of every length and script', () => {
    // About ten pairs of these ids share a 32-bit hash: each must still be told apart by its bytes.
    const random = new Random(7);
    const next = (n: number) => random.int(n);
    const alphabet = ['a', 'Z', '0', '-', '_', 'é', 'ж', '中', '😀', ' '];
    const oracle = new Map<string, number>();
    const table = new IdTable();
    const early: string[] = [];
    const wrong: string[] = [];
    let repeats = 0;
    for (let line = 2; line < 300_002; line++) {
      let id: string;
      if (line > 1000 && next(20) === 0) {
        // A repeat of an id met before (an earlier line's, chosen at random among the first thousand lines' ids).
        id = early[next(early.length)];
        repeats++;
      } else {
        const length = next(4) === 0 ? next(300) : 6 + next(20);
        id = '';
        for (let i = 0; i < length; i++) id += next(3) === 0 ? alphabet[next(alphabet.length)] : String.fromCharCode(97 + next(26));
      }
      const expected = oracle.get(id) ?? null;
      if (expected === null) oracle.set(id, line);
      if (line < 1000) early.push(id);
      const answer = table.firstOrRecord(id, line);
      if (answer !== expected) wrong.push(`${JSON.stringify(id)} on line ${line}: ${answer}, not ${expected}`);
    }
    expect(wrong).toEqual([]);
    expect(repeats).toBeGreaterThan(10_000);
    expect(table.size).toBe(oracle.size);
    expect(oracle.size).toBeGreaterThan(250_000);
  });

  it('tells apart two ids of the same length and the same 32-bit hash', () => {
    // Found by a search over REF-nnnnnnnn: both hash to 1431836555 (FNV-1a).
    const table = new IdTable();
    expect(table.firstOrRecord('REF-00022789', 2)).toBeNull();
    expect(table.firstOrRecord('REF-00239192', 3)).toBeNull();
    expect(table.firstOrRecord('REF-00239192', 4)).toBe(3);
    expect(table.firstOrRecord('REF-00022789', 5)).toBe(2);
    expect([table.get('REF-00022789'), table.get('REF-00239192'), table.get('REF-00000000')]).toEqual([2, 3, undefined]);
  });

  it('holds numbers of 53 bits (row digests) exactly', () => {
    const table = new IdTable();
    const digests = [0, 1, 2 ** 53 - 1, 4294967296 * 2097151 + 12345, 2 ** 32];
    digests.forEach((d, k) => table.firstOrRecord(`id-${k}`, d));
    expect(digests.map((_, k) => table.get(`id-${k}`))).toEqual(digests);
  });

  it('keeps apart ids that are prefixes of one another, the empty id, and ids differing only in the last byte', () => {
    const table = new IdTable();
    const ids = ['', 'a', 'ab', 'abc', 'abd', 'SYN-00000001', 'SYN-00000002', 'é', 'e\u0301'];
    ids.forEach((id, k) => expect(table.firstOrRecord(id, k + 2)).toBeNull());
    ids.forEach((id, k) => expect(table.firstOrRecord(id, 100 + k)).toBe(k + 2));
    expect(table.size).toBe(ids.length);
  });
});
