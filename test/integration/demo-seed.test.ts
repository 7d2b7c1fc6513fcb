import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateReferrals, type DemoRecord } from '@/lib/demo/generator';
import { SeedRefusedError, seedDemo } from '@/lib/demo/seed';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, count, memoryDb, tablesChecksum, DATA_TABLES } from '../helpers/db';

function digestOf(rows: number, seed: number): string {
  const hash = createHash('sha256');
  generateReferrals({ rows, seed }, (r) => hash.update(JSON.stringify(r)));
  return hash.digest('hex');
}

function collect(rows: number, seed: number): DemoRecord[] {
  const out: DemoRecord[] = [];
  generateReferrals({ rows, seed }, (r) => out.push(r));
  return out;
}

describe('the synthetic demo generator', () => {
  it('gives the same data for the same seed, and different data for another', () => {
    expect(digestOf(5000, 42)).toBe(digestOf(5000, 42));
    expect(digestOf(5000, 42)).not.toBe(digestOf(5000, 43));
  });

  it('emits exactly the requested rows, in order of referred_at, with unique ids', () => {
    const rows = collect(20_000, 1);
    expect(rows).toHaveLength(20_000);
    const times = rows.map((r) => Date.parse(r.referred_at as string));
    // Ordered by the hour they fall in (minutes within an hour are random).
    for (let i = 1; i < times.length; i++) expect(Math.floor(times[i] / 3.6e6)).toBeGreaterThanOrEqual(Math.floor(times[i - 1] / 3.6e6));
    expect(new Set(rows.map((r) => r.referral_id)).size).toBe(20_000);
  });

  it('holds what DATA-MODEL.md describes: a 48-hour action day, all outcomes, spreading content, a late platform', () => {
    const rows = collect(50_000, 20_260_511);
    const rad = rows.filter((r) => r.campaign === 'rad-2025-06');
    expect(rad.length).toBeGreaterThan(1800);
    expect(rad.length).toBeLessThan(2200);
    expect(new Set(rad.map((r) => r.unit)).size).toBe(5);
    expect(new Set(rad.map((r) => r.language)).size).toBe(6);
    const radTimes = rad.map((r) => Date.parse(r.referred_at as string));
    expect(Math.max(...radTimes) - Math.min(...radTimes)).toBeLessThanOrEqual(48 * 3.6e6);
    for (const outcome of ['pending', 'removed', 'disabled', 'rejected', 'unavailable']) expect(rows.some((r) => r.outcome === outcome)).toBe(true);
    const platformsByHash = new Map<string, Set<string>>();
    for (const r of rows) if (r.content_hash) (platformsByHash.get(r.content_hash as string) ?? platformsByHash.set(r.content_hash as string, new Set()).get(r.content_hash as string)!).add(r.platform as string);
    expect([...platformsByHash.values()].filter((s) => s.size >= 2).length).toBeGreaterThan(1000);
    const late = rows.filter((r) => r.platform === 'nashir-hub').map((r) => Date.parse(r.referred_at as string));
    expect(late.length).toBeGreaterThan(100);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 2));
    expect(new Set(rows.map((r) => r.language)).size).toBeGreaterThanOrEqual(10);
    // Providers differ a lot: share removed within a day.
    const within = (p: string) => {
      const own = rows.filter((r) => r.platform === p && r.kind === 'referral');
      const fast = own.filter((r) => r.outcome === 'removed' && Date.parse(r.outcome_at as string) - Date.parse(r.referred_at as string) <= 24 * 3.6e6);
      return fast.length / own.length;
    };
    expect(within('vidora')).toBeGreaterThan(0.8);
    expect(within('sharebin')).toBeLessThan(0.2);
  });
});

describe('seed:demo', () => {
  it('loads through the importer, labels the database synthetic, and is idempotent', async () => {
    const db = memoryDb();
    const first = await seedDemo(db, { rows: 3000, seed: 5 });
    expect(first).toMatchObject({ status: 'committed', format: 'generator', inserted: 3000 });
    expect(db.db.$client.prepare("SELECT value FROM meta WHERE key = 'dataset'").pluck().get()).toBe('synthetic');
    expect(db.db.$client.prepare("SELECT name FROM platforms WHERE code = 'vidora'").pluck().get()).toBe('Vidora');
    expect(db.db.$client.prepare("SELECT ideology FROM groups WHERE code = 'atomwaffen'").pluck().get()).toBe('far_right');
    const before = tablesChecksum(db, DATA_TABLES);
    expect(await seedDemo(db, { rows: 3000, seed: 5 })).toMatchObject({ status: 'committed', unchanged: 3000 });
    expect(tablesChecksum(db, DATA_TABLES)).toBe(before);
  });

  it('refuses to mix synthetic rows into a database of real referrals', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    await expect(seedDemo(db, { rows: 100, seed: 1 })).rejects.toThrow(SeedRefusedError);
    expect(count(db, 'referrals')).toBe(24);
  });
});
