// Fuzzed input (fast-check): arbitrary bytes, arbitrary CSV and JSON
// structures and arbitrary strings in every field never crash the importer,
// never commit part of a batch, and every refusal names a line and a field.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '@/db/sqlite/store';
import { csvLine } from '@/lib/csv';
import { importFile, type ImportResult } from '@/lib/import/import';
import { FIELDS } from '@/lib/import/validate-row';
import { DATA_TABLES, FIXTURE_CSV, memoryDb, tablesChecksum, writeTemp } from '../helpers/db';
import { validRow } from '../helpers/rows';

const NOW = Date.parse('2026-06-01T00:00:00Z');
let db: SqliteStore;
let before: string;

beforeAll(async () => {
  db = memoryDb();
  await importFile(db, FIXTURE_CSV);
  before = tablesChecksum(db, DATA_TABLES);
});

/** Imports the content; the database is left as it was unless the batch committed whole. */
async function attempt(content: string | Uint8Array, name: string): Promise<ImportResult> {
  const result = await importFile(db, writeTemp(name, Buffer.from(content)), { now: NOW });
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
  it('survives arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('csv', 'json', 'ndjson'), async (bytes, ext) => {
        await attempt(bytes, `bytes.${ext}`);
      }),
      { numRuns: 150 },
    );
  });

  it('survives arbitrary strings in every field of a CSV, refusing the batch whole and naming the line and field', async () => {
    const row = fc.record(Object.fromEntries(FIELDS.map((f) => [f, anyString])));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 5 }), async (rows) => {
        const text = csvLine([...FIELDS]) + rows.map((r) => csvLine(FIELDS.map((f) => r[f]))).join('');
        const result = await attempt(text, 'fields.csv');
        // Arbitrary strings never make a valid referral: every row is refused, on its own line.
        expect(result.status).toBe('rejected');
        for (const e of result.errors) if (e.field) expect([...FIELDS, 'header'], e.field).toContain(e.field);
      }),
      { numRuns: 120 },
    );
  });

  it('survives arbitrary JSON structures', async () => {
    const record = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string()), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(record, { maxLength: 4 })), fc.boolean(), async (value, ndjson) => {
        const text = ndjson && Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join('\n') : JSON.stringify(value);
        await attempt(text, ndjson ? 'structure.ndjson' : 'structure.json');
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a batch of good rows with one bad value anywhere, whole, pointing at that row and field', async () => {
    const bad = fc.record({
      rows: fc.integer({ min: 2, max: 8 }),
      at: fc.nat(),
      field: fc.constantFrom('kind', 'unit', 'platform', 'language', 'content_type', 'url', 'referred_at', 'outcome', 'outcome_at', 'clock_paused_hours', 'views_at_referral'),
      value: fc.constantFrom('', 'x'.repeat(300), 'not a value', '-1', '2026-13-01T00:00:00Z', '\u0000'),
    });
    let k = 0;
    await fc.assert(
      fc.asyncProperty(bad, async ({ rows, at, field, value }) => {
        const prefix = `F${k++}`;
        const good = Array.from({ length: rows }, (_, i) => validRow({ referral_id: `${prefix}-${i}`, url: `https://alpha.example/${prefix}/${i}` }));
        const row = at % rows;
        const broken = good.map((r, i) => (i === row ? { ...r, [field]: value } : r));
        const text = csvLine([...FIELDS]) + broken.map((r) => csvLine(FIELDS.map((f) => r[f]))).join('');
        const result = await attempt(text, 'one-bad.csv');
        // Some replacements are still valid (an empty optional field): then the whole batch commits.
        if (result.status === 'rejected') {
          expect(result.errors.some((e) => e.line === row + 2 && e.field === field), JSON.stringify(result.errors)).toBe(true);
        } else expect(result.inserted).toBe(rows);
      }),
      { numRuns: 120 },
    );
  });
});
