// A full disk during an import (simulated with PRAGMA max_page_count): the
// batch rolls back with a clear message, nothing is written, and reads go on.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { parseFilters } from '@/lib/filters';
import { importFile, ImportFailedError } from '@/lib/import/import';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { getSummary } from '@/lib/metrics';
import { count, DATA_TABLES, FIXTURE_CSV, tablesChecksum, tempDir } from '../helpers/db';

describe('a full disk during an import', () => {
  it("rolls back with a clear message; the data and the readers are untouched; the same file imports once there is room", () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'full.db'));
    importFile(db, FIXTURE_CSV);
    const reader = openDatabase(path.join(dir, 'full.db'));
    const filters = parseFilters(new URLSearchParams('as_of=2026-03-01T00:00:00Z')).filters;
    const figures = getSummary(reader, filters);
    const before = tablesChecksum(db, DATA_TABLES);
    const big = path.join(dir, 'big.csv');
    writeDemoCsv(big, { rows: 20_000, seed: 8 });
    // Room for a few more pages only: the disk "fills" part-way through the batch.
    const pages = db.$client.pragma('page_count', { simple: true }) as number;
    db.$client.pragma(`max_page_count = ${pages + 40}`);
    let failure: unknown;
    try {
      importFile(db, big);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(ImportFailedError);
    expect((failure as Error).message).toMatch(/^the import failed and was rolled back, nothing was written: database or disk is full$/);
    expect(tablesChecksum(db, DATA_TABLES)).toBe(before);
    expect((db.$client.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check).toBe('ok');
    // Readers go on, with the same figures.
    expect(getSummary(reader, filters)).toEqual(figures);
    // With room again the same file imports whole.
    db.$client.pragma('max_page_count = 1073741823');
    expect(importFile(db, big).status).toBe('committed');
    expect(count(db, 'referrals')).toBe(24 + 20_000);
    reader.$client.close();
    db.$client.close();
  }, 120_000);
});
