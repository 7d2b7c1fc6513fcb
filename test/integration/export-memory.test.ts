// A million-row records export streams: memory stays flat while the file
// (hundreds of MB) goes out piece by piece, through the real route.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as referralsCsv } from '@/app/api/v1/referrals.csv/route';
import { GET as referralsJson } from '@/app/api/v1/referrals/route';
import { GET as summaryJson } from '@/app/api/v1/summary/route';
import { SqliteStore } from '@/db/sqlite/store';
import { seedDemo } from '@/lib/demo/seed';
import { tempDir } from '../helpers/db';
import { request, useDatabase } from '../helpers/http';

const ROWS = 1_000_000;
let db: SqliteStore;

beforeAll(async () => {
  db = SqliteStore.open(path.join(tempDir(), 'million.db'));
  await seedDemo(db, { rows: ROWS, seed: 3 });
  await useDatabase(db);
}, 300_000);

afterAll(async () => {
  await useDatabase(undefined);
  db.db.$client.close();
});

describe('the records export of a million rows', () => {
  it('streams every row while the memory in use stays bounded', async () => {
    const inUse = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    // The figures are computed before the baseline: only the export is measured.
    expect((await summaryJson(request('http://localhost/api/v1/summary'))).status).toBe(200);
    const response = await referralsCsv(request('http://localhost/api/v1/referrals.csv?sort=referred_at'));
    expect(response.status).toBe(200);
    const baseline = inUse();
    let peak = 0;
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
      chunks++;
      peak = Math.max(peak, inUse() - baseline);
      // While the export's statement is open on the shared connection (where SQLite allows no write), other requests
      // are answered and their writes (here the audit entry of a record view) land at once, on the writing connection.
      if (chunks === 10) {
        // Counted on a connection of its own (the shared one reads the snapshot the export started on).
        const look = SqliteStore.open(db.db.$client.name, { migrate: false, readonly: true });
        const audited = () => look.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'record_view'").pluck().get() as number;
        const before = audited();
        expect((await referralsJson(request('http://localhost/api/v1/referrals?page_size=5'))).status).toBe(200);
        expect(audited()).toBe(before + 1);
        look.db.$client.close();
      }
    }
    // A header and one line per referral (no field of the demo data holds a line break).
    expect(lines).toBe(ROWS + 1);
    expect(bytes).toBeGreaterThan(150 * 2 ** 20);
    expect(chunks).toBeGreaterThan(1000);
    // Holding the file would take more than its size; streaming takes a few pieces at a time.
    expect(peak).toBeLessThan(96 * 2 ** 20);
    console.log(`records export: ${ROWS.toLocaleString('en-GB')} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB, peak heap + external growth ${(peak / 2 ** 20).toFixed(1)} MiB`);
  }, 300_000);
});
