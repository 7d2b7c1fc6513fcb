// Fuzzed input (fast-check): arbitrary bytes, arbitrary CSV and JSON
// structures and arbitrary strings in every field never crash the importer,
// never commit part of a batch, and every refusal names a line and a field.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db/sqlite/client';
import { csvLine } from '@/lib/csv';
import { importFile, type ImportResult } from '@/lib/import/import';
import { FIELDS } from '@/lib/import/validate-row';
import { DATA_TABLES, FIXTURE_CSV, memoryDb, tablesChecksum, writeTemp } from '../helpers/db';
import { validRow } from '../helpers/rows';

const NOW = Date.parse('2026-06-01T00:00:00Z');
let db: Db;
let before: string;

beforeAll(() => {
  db = memoryDb();
  importFile(db, FIXTURE_CSV);
  before = tablesChecksum(db, DATA_TABLES);
});

/** Imports the content; the database is left as it was unless the batch committed whole. */
function attempt(content: string | Uint8Array, name: string): ImportResult {
  const result = importFile(db, writeTemp(name, Buffer.from(content)), { now: NOW });
  expect(['committed', 'rejected']).toContain(result.status);
  if (result.status === 'rejected') {
    expect(tablesChecksum(db, DATA_TABLES), 'a rejected batch changed the data').toBe(before);
    expect(result.message).toBeTruthy();
    expect(result.errorCount).toBeGreaterThan(0);
    for (const e of result.errors) {
      expect(Number.isInteger(e.line) && e.line >= 1, `line of ${JSON.stringify(e)}`).toBe(true);
      expect(typeof e.field).toBe('string');
      expect(e.message.length).toBeGreaterThan(0);
    }
  } else before = tablesChecksum(db, DATA_TABLES);
  return result;
}

const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', ' ', 'a', '1', '-', ':', 'T', 'Z', '\u0000', '\ufeff') }));

describe('the importer under fuzzed input', () => {
  it('survives arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('csv', 'json', 'ndjson'), (bytes, ext) => {
        attempt(bytes, `bytes.${ext}`);
      }),
      { numRuns: 150 },
    );
  });

  it('survives arbitrary strings in every field of a CSV, refusing the batch whole and naming the line and field', () => {
    const row = fc.record(Object.fromEntries(FIELDS.map((f) => [f, anyString])));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 5 }), (rows) => {
        const text = csvLine([...FIELDS]) + rows.map((r) => csvLine(FIELDS.map((f) => r[f]))).join('');
        const result = attempt(text, 'fields.csv');
        // Arbitrary strings never make a valid referral: every row is refused, on its own line.
        expect(result.status).toBe('rejected');
        for (const e of result.errors) if (e.field) expect([...FIELDS, 'header'], e.field).toContain(e.field);
      }),
      { numRuns: 120 },
    );
  });

  it('survives arbitrary JSON structures', () => {
    const record = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string()), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(record, { maxLength: 4 })), fc.boolean(), (value, ndjson) => {
        const text = ndjson && Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join('\n') : JSON.stringify(value);
        attempt(text, ndjson ? 'structure.ndjson' : 'structure.json');
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a batch of good rows with one bad value anywhere, whole, pointing at that row and field', () => {
    const bad = fc.record({
      rows: fc.integer({ min: 2, max: 8 }),
      at: fc.nat(),
      field: fc.constantFrom('kind', 'unit', 'platform', 'language', 'content_type', 'url', 'referred_at', 'outcome', 'outcome_at', 'clock_paused_hours', 'views_at_referral'),
      value: fc.constantFrom('', 'x'.repeat(300), 'not a value', '-1', '2026-13-01T00:00:00Z', '\u0000'),
    });
    let k = 0;
    fc.assert(
      fc.property(bad, ({ rows, at, field, value }) => {
        const prefix = `F${k++}`;
        const good = Array.from({ length: rows }, (_, i) => validRow({ referral_id: `${prefix}-${i}`, url: `https://alpha.example/${prefix}/${i}` }));
        const row = at % rows;
        const broken = good.map((r, i) => (i === row ? { ...r, [field]: value } : r));
        const text = csvLine([...FIELDS]) + broken.map((r) => csvLine(FIELDS.map((f) => r[f]))).join('');
        const result = attempt(text, 'one-bad.csv');
        // Some replacements are still valid (an empty optional field): then the whole batch commits.
        if (result.status === 'rejected') {
          expect(result.errors.some((e) => e.line === row + 2 && e.field === field), JSON.stringify(result.errors)).toBe(true);
        } else expect(result.inserted).toBe(rows);
      }),
      { numRuns: 120 },
    );
  });
});
