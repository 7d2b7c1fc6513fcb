import { describe, expect, it } from 'vitest';
import { StructuralError } from '@/lib/import/errors';
import { CsvParser, type CsvRecord } from '@/lib/import/parse-csv';

function parse(pieces: string[]): CsvRecord[] {
  const out: CsvRecord[] = [];
  const parser = new CsvParser((r) => out.push(r));
  pieces.forEach((p, i) => parser.push(p, i === pieces.length - 1));
  return out;
}

const SAMPLE = 'a,b,c\r\n1,"x, ""y""",3\n\n2,"multi\nline",\n3,,"end"';
const EXPECTED: CsvRecord[] = [
  { line: 1, fields: ['a', 'b', 'c'] },
  { line: 2, fields: ['1', 'x, "y"', '3'] },
  { line: 4, fields: ['2', 'multi\nline', ''] },
  { line: 6, fields: ['3', '', 'end'] },
];

describe('CsvParser', () => {
  it('reads RFC 4180 records with their starting line', () => {
    expect(parse([SAMPLE])).toEqual(EXPECTED);
  });

  it('gives the same records however the text is cut into pieces', () => {
    for (let cut = 0; cut <= SAMPLE.length; cut++) expect(parse([SAMPLE.slice(0, cut), SAMPLE.slice(cut)]), `cut at ${cut}`).toEqual(EXPECTED);
    expect(parse([...SAMPLE].concat(''))).toEqual(EXPECTED);
  });

  it('accepts a final line end and CRLF everywhere', () => {
    expect(parse(['a,b\r\n1,2\r\n'])).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('refuses an unclosed quote, naming the line where the field starts', () => {
    expect(() => parse(['a,b\n1,"open\nstill open\n'])).toThrow(StructuralError);
    expect(() => parse(['a,b\n1,"open\nstill open\n'])).toThrow(/starts on line 2/);
  });

  it('refuses text after a closing quote and a stray quote in an unquoted field', () => {
    expect(() => parse(['a,b\n"x"y,2\n'])).toThrow(/line 2: unexpected text after the closing quote/);
    expect(() => parse(['a,b\n1,ab"c\n'])).toThrow(/line 2: a quote inside unquoted field 2/);
  });
});
