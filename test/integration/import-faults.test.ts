// A full disk during an import (simulated with PRAGMA max_page_count): the
// batch rolls back with a clear message, nothing is written, and reads go on.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import { parseFilters } from '@/lib/filters';
import { importFile, ImportFailedError } from '@/lib/import/import';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { getSummary } from '@/lib/metrics';
import { count, DATA_TABLES, FIXTURE_CSV, tablesChecksum, tempDir } from '../helpers/db';
import { factsOf } from '../helpers/db';

describe('a full disk during an import', () => {
  it("rolls back with a clear message; the data and the readers are untouched; the same file imports once there is room", async () => {
    const dir = tempDir();
    const db = SqliteStore.open(path.join(dir, 'full.db'));
    await importFile(db, FIXTURE_CSV);
    const reader = SqliteStore.open(path.join(dir, 'full.db'));
    const filters = parseFilters(new URLSearchParams('as_of=2026-03-01T00:00:00Z')).filters;
    const figures = getSummary(await factsOf(reader), filters);
    const before = tablesChecksum(db, DATA_TABLES);
    const big = path.join(dir, 'big.csv');
    writeDemoCsv(big, { rows: 20_000, seed: 8 });
    // Room for a few more pages only: the disk "fills" part-way through the batch.
    const writer = db.writeConnection().$client;
    const pages = writer.pragma('page_count', { simple: true }) as number;
    writer.pragma(`max_page_count = ${pages + 40}`);
    let failure: unknown;
    try {
      await importFile(db, big);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(ImportFailedError);
    expect((failure as Error).message).toMatch(/^the import failed and was rolled back, nothing was written: database or disk is full$/);
    expect(tablesChecksum(db, DATA_TABLES)).toBe(before);
    expect((db.db.$client.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check).toBe('ok');
    // Readers go on, with the same figures.
    expect(getSummary(await factsOf(reader), filters)).toEqual(figures);
    // With room again the same file imports whole.
    writer.pragma('max_page_count = 1073741823');
    expect((await importFile(db, big)).status).toBe('committed');
    expect(count(db, 'referrals')).toBe(24 + 20_000);
    reader.db.$client.close();
    db.db.$client.close();
  }, 120_000);
});

describe('the write-ahead log', () => {
  it('is copied back and truncated after every committed batch, while another connection keeps reading', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'wal.db');
    const db = SqliteStore.open(file);
    const reader = SqliteStore.open(file);
    const filters = parseFilters(new URLSearchParams()).filters;
    const sizes: number[] = [];
    for (let k = 0; k < 4; k++) {
      const batch = path.join(dir, `batch-${k}.csv`);
      writeDemoCsv(batch, { rows: 3000, seed: 20 + k });
      expect((await importFile(db, batch)).status).toBe('committed');
      // The reader's figures follow every batch…
      expect(getSummary(await factsOf(reader), filters).total).toBe(3000);
      // …and the log is back to nothing rather than growing batch by batch.
      sizes.push(fs.statSync(`${file}-wal`).size);
    }
    expect(sizes).toEqual([0, 0, 0, 0]);
    reader.db.$client.close();
    db.db.$client.close();
  }, 120_000);
});
