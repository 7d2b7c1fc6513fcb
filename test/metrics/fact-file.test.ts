// Issue 17: the facts a process holds are kept beside the database, so that
// the next start reads only what changed since. The file is a copy, never
// trusted: a damaged, cut, foreign or outdated one is refused in words and
// everything is read from the database; kept time orders are checked.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '@/db/open';
import type { Store } from '@/db/store';
import { parseFilters } from '@/lib/filters';
import { importFile } from '@/lib/import/import';
import * as metrics from '@/lib/metrics';
import { currentFacts, dropFacts, refreshCounts, refreshed, type FactSnapshot } from '@/lib/metrics/fact-store';
import { adoptOrders, timeOrders } from '@/lib/metrics/time-orders';
import { FIXTURE_CSV, tempDir, writeTemp } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

const NOW = Date.parse('2026-12-01T00:00:00Z');

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.FACTS_KEEP;
});

function figures(data: FactSnapshot) {
  const f = parseFilters(new URLSearchParams('as_of=2026-11-01T00:00:00Z'), {}, NOW).filters;
  return {
    summary: metrics.getSummary(data, f),
    platforms: metrics.getBreakdown(data, f, 'platform'),
    medians: metrics.getMonthlyMedians(data, f),
    compliance: metrics.getProviderCompliance(data, f),
  };
}

/** The figures and orders of a read of everything, with no file kept. */
async function freshly(file: string) {
  process.env.FACTS_KEEP = '0';
  const store = openStore({ engine: 'sqlite', path: file });
  try {
    const data = await currentFacts(store);
    const o = timeOrders(data.facts);
    return { figures: figures(data), orders: [o.byResponse, o.byAcknowledge, o.byStartDescending], size: data.facts.size, version: data.version };
  } finally {
    delete process.env.FACTS_KEEP;
    await store.close();
  }
}

async function withStore<T>(file: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore({ engine: 'sqlite', path: file });
  try {
    return await work(store);
  } finally {
    await refreshed(store);
    await store.close();
  }
}

/** A database with the fixture in it, its facts read once (and so kept). */
async function keptDatabase(): Promise<string> {
  const file = path.join(tempDir(), 'kept.db');
  await withStore(file, async (store) => {
    const result = await importFile(store, FIXTURE_CSV, { now: NOW });
    expect(result.status).toBe('committed');
    await currentFacts(store);
  });
  expect(fs.existsSync(`${file}.facts`)).toBe(true);
  return file;
}

const laterRows = () =>
  csvOf(
    Array.from({ length: 30 }, (_, k) =>
      validRow({
        referral_id: `KEPT-${k}`,
        platform: k % 2 ? 'newplatform' : 'vidora',
        referred_at: `2026-10-${String(1 + (k % 28)).padStart(2, '0')}T10:00:00Z`,
        outcome: k % 3 ? 'removed' : 'pending',
        outcome_at: k % 3 ? `2026-10-${String(1 + (k % 28)).padStart(2, '0')}T13:30:00Z` : '',
      }),
    ),
  );

describe('facts kept between starts', () => {
  it('are taken at the next start instead of a full read, with the same figures and time orders', async () => {
    const file = await keptDatabase();
    const expected = await freshly(file);
    const before = { ...refreshCounts };
    const written = fs.statSync(`${file}.facts`).mtimeMs;
    await withStore(file, async (store) => {
      const data = await currentFacts(store);
      expect([refreshCounts.kept, refreshCounts.full]).toEqual([before.kept + 1, before.full]);
      expect([data.version, data.facts.size]).toEqual([expected.version, expected.size]);
      expect(figures(data)).toEqual(expected.figures);
      const o = timeOrders(data.facts);
      expect([o.byResponse, o.byAcknowledge, o.byStartDescending]).toEqual(expected.orders);
    });
    // A file just written is not written again by a start that changed nothing.
    expect(fs.statSync(`${file}.facts`).mtimeMs).toBe(written);
  });

  it('are brought up to date with the changes since they were kept (an import by another process)', async () => {
    const file = await keptDatabase();
    // Another process imports: the file is of the batch before.
    process.env.FACTS_KEEP = '0';
    await withStore(file, async (store) => {
      expect((await importFile(store, writeTemp('later.csv', laterRows()), { now: NOW })).status).toBe('committed');
    });
    delete process.env.FACTS_KEEP;
    const expected = await freshly(file);
    const before = { ...refreshCounts };
    await withStore(file, async (store) => {
      const data = await currentFacts(store);
      expect([refreshCounts.kept, refreshCounts.incremental, refreshCounts.full]).toEqual([before.kept + 1, before.incremental + 1, before.full]);
      expect([data.version, data.facts.size, data.stale]).toEqual([expected.version, expected.size, undefined]);
      expect(figures(data)).toEqual(expected.figures);
    });
  });

  for (const [what, damage, reason] of [
    ['a byte changed', (f: string) => {
      const bytes = fs.readFileSync(f);
      bytes[Math.floor(bytes.length / 3)] ^= 0xff;
      fs.writeFileSync(f, bytes);
    }, /checksum does not match/],
    ['cut short', (f: string) => fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2)), /not whole/],
    ['of another database', (f: string) => fs.copyFileSync(`${otherDatabase}.facts`, f), /of another database/],
    ['not a facts file', (f: string) => fs.writeFileSync(f, 'hello world, not facts at all, but long enough to look'), /not a facts file/],
  ] as const) {
    it(`are not used when the file is ${what}: said in words, and everything is read from the database`, async () => {
      const file = await keptDatabase();
      if (what === 'of another database') {
        otherDatabase = path.join(tempDir(), 'other.db');
        await withStore(otherDatabase, async (store) => {
          await importFile(store, writeTemp('other.csv', laterRows()), { now: NOW });
          await currentFacts(store);
        });
      }
      damage(`${file}.facts`);
      const expected = await freshly(file);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const before = { ...refreshCounts };
      await withStore(file, async (store) => {
        const data = await currentFacts(store);
        expect([refreshCounts.kept, refreshCounts.full]).toEqual([before.kept, before.full + 1]);
        expect(figures(data)).toEqual(expected.figures);
      });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(reason);
      expect(warn.mock.calls[0][0]).toContain(`${file}.facts`);
      // ...and the file is written anew, usable at the start after.
      const after = { ...refreshCounts };
      await withStore(file, async (store) => {
        await currentFacts(store);
        expect(refreshCounts.kept).toBe(after.kept + 1);
      });
    });
  }

  it('are not kept at all with FACTS_KEEP=0', async () => {
    process.env.FACTS_KEEP = '0';
    const file = path.join(tempDir(), 'none.db');
    await withStore(file, async (store) => {
      await importFile(store, FIXTURE_CSV, { now: NOW });
      await currentFacts(store);
    });
    expect(fs.existsSync(`${file}.facts`)).toBe(false);
  });
});

let otherDatabase = '';

describe('kept time orders', () => {
  it('are taken only when they are exactly the sorted orders of the facts', async () => {
    const file = await keptDatabase();
    await withStore(file, async (store) => {
      const data = await currentFacts(store);
      const o = timeOrders(data.facts);
      const saved = { response: o.byResponse.slice(), acknowledge: o.byAcknowledge.slice(), start: o.byStartDescending.slice() };
      dropFacts(store);
      const fresh = (await currentFacts(store)).facts;
      // Two neighbours swapped, a row twice, a row missing: each refused.
      const swapped = saved.start.slice();
      [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
      const twice = saved.response.slice();
      twice[1] = twice[0];
      const missing = saved.acknowledge.slice(1);
      expect(adoptOrders({ ...fresh }, { ...saved, start: swapped })).toBe(false);
      expect(adoptOrders({ ...fresh }, { ...saved, response: twice })).toBe(false);
      expect(adoptOrders({ ...fresh }, { ...saved, acknowledge: missing })).toBe(false);
      const copy = { ...fresh };
      expect(adoptOrders(copy, saved)).toBe(true);
      expect(timeOrders(copy)).toEqual(o);
    });
  });
});
