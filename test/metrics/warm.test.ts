// Start-up warming (instrumentation.ts): the figures of the heaviest pages
// are computed before anyone asks, an empty database is left alone, and a
// database that cannot be opened is reported in words, not thrown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { replaceStore } from '@/db/open';
import { importFile } from '@/lib/import/import';
import { memoSize } from '@/lib/metrics/fact-store';
import { warmMetrics } from '@/lib/metrics/warm';
import { FIXTURE_CSV, memoryDb, tempDir } from '../helpers/db';

const pathBefore = process.env.DATABASE_PATH;

afterEach(() => {
  replaceStore(undefined);
  if (pathBefore === undefined) delete process.env.DATABASE_PATH;
  else process.env.DATABASE_PATH = pathBefore;
  vi.restoreAllMocks();
});

describe('warmMetrics', () => {
  it('computes the summary, the platform breakdown, the monthly compliance and medians, and says how long it took', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    replaceStore(db);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await warmMetrics();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/^Metrics ready in \d+ ms$/);
    // One memo entry at least for each of the four figures.
    expect(memoSize(db).entries).toBeGreaterThanOrEqual(4);
  });

  it('leaves an empty database alone', async () => {
    const db = memoryDb();
    replaceStore(db);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await warmMetrics();
    expect(log).not.toHaveBeenCalled();
    expect(memoSize(db).entries).toBe(0);
  });

  it('reports a database that cannot be opened in words, and does not throw', async () => {
    // A directory is not a database file.
    process.env.DATABASE_PATH = tempDir();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(warmMetrics()).resolves.not.toThrow();
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toBe('Could not prepare the metrics at start-up:');
    expect(typeof error.mock.calls[0][1]).toBe('string');
    expect(error.mock.calls[0][1]).not.toBe('');
  });
});
