// Exports: RFC 4180, a BOM, and never a cell a spreadsheet would run as a
// formula (OWASP "CSV injection"), for any string whatsoever.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvLine, csvPieces, neutraliseCell } from '@/lib/csv';
import { CsvParser, type CsvRecord } from '@/lib/import/parse-csv';

function parse(text: string): string[][] {
  const records: CsvRecord[] = [];
  const parser = new CsvParser((r) => records.push(r));
  parser.push(text, true);
  return records.map((r) => r.fields);
}

/** What a reader gets back: one leading apostrophe, where the export added it, removed. */
function restore(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

describe('neutraliseCell', () => {
  it('prefixes formula starts with an apostrophe and leaves numbers alone', () => {
    expect(neutraliseCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(neutraliseCell('+1')).toBe("'+1");
    expect(neutraliseCell('@cmd')).toBe("'@cmd");
    expect(neutraliseCell('\tx')).toBe("'\tx");
    expect(neutraliseCell('\rx')).toBe("'\rx");
    expect(neutraliseCell('-2+3')).toBe("'-2+3");
    expect(neutraliseCell("'quoted")).toBe("''quoted");
    // A plain negative number stays a number, as a number or as text.
    expect(neutraliseCell(-2)).toBe(-2);
    expect(neutraliseCell('-2')).toBe('-2');
    expect(neutraliseCell('-0.25')).toBe('-0.25');
    expect(neutraliseCell('-1e-3')).toBe('-1e-3');
    // Every form of a plain number: several digits either side of the point, none before it, an exponent with or
    // without a sign and of several digits.
    for (const n of ['-12.5', '-.25', '-1e5', '-2E10', '-3.e+12']) expect(neutraliseCell(n)).toBe(n);
    // And what only looks like one.
    for (const t of ['-1-2', '-1e', '-.', '-1.2.3']) expect(neutraliseCell(t)).toBe(`'${t}`);
    expect(neutraliseCell('plain')).toBe('plain');
    expect(neutraliseCell(null)).toBeNull();
  });

  it('lets any string survive export and re-parse, and no exported cell starts like a formula', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", 'a', '1', '.', 'e') }));
    fc.assert(
      fc.property(text, (s) => {
        // A second column keeps the line from being blank (a blank line is no record).
        const [fields] = parse(csvLine([neutraliseCell(s), 'end']));
        expect(fields).toHaveLength(2);
        expect(restore(fields[0])).toBe(s);
        expect(FORMULA_START.test(fields[0]) && !PLAIN_NUMBER.test(fields[0])).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('csvLine', () => {
  it('writes an absent value as an empty cell, and quotes only what needs it', () => {
    expect(csvLine([null, undefined, 'x', 1.5, 'a,b', 'say "hi"', 'two\nlines'])).toBe(',,x,1.5,"a,b","say ""hi""","two\nlines"\r\n');
  });
});

describe('csvPieces', () => {
  it('cuts a long export into pieces of about 64 KiB, none empty, that add up to the whole', () => {
    const rows = Array.from({ length: 1500 }, (_, k) => [`row-${k}`, 'x'.repeat(100)]);
    const pieces = [...csvPieces(['id', 'text'], rows, (r) => r)];
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(piece.length).toBeGreaterThan(0);
      // A piece ends after the row that took it past 64 KiB.
      expect(piece.length).toBeLessThanOrEqual(65_536 + 120);
    }
    const text = pieces.join('');
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(parse(text.slice(1))).toEqual([['id', 'text'], ...rows]);
    // One row past the size on its own: a single piece, and no empty one after it.
    expect([...csvPieces(['a'], [['y'.repeat(70_000)]], (r) => r)].map((p) => p.length)).toEqual([1 + 3 + 70_002]);
  });

  it('writes a BOM, a header and every row, neutralised, in pieces', () => {
    const rows = fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 3, maxLength: 3 }), { maxLength: 40 });
    fc.assert(
      fc.property(rows, (data) => {
        const text = [...csvPieces(['a', 'b', 'c'], data, (r) => r)].join('');
        expect(text.startsWith(CSV_BOM)).toBe(true);
        const parsed = parse(text.slice(CSV_BOM.length));
        expect(parsed[0]).toEqual(['a', 'b', 'c']);
        expect(parsed.slice(1).map((r) => r.map(restore))).toEqual(data);
      }),
    );
  });

  it('yields pieces of bounded size for a long input', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => [`row ${i}`, 'x'.repeat(20)]);
    const pieces = [...csvPieces(['name', 'value'], many, (r) => r)];
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) expect(p.length).toBeLessThan(70_000);
  });
});
