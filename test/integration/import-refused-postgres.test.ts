// A file refused at its last row on PostgreSQL: by then the COPY into the
// staging table is open and holds megabytes of the file's rows. The import
// must cancel that COPY before it rolls back, or the connection is left
// mid-COPY: the rollback never answers and the next import waits for ever.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, tempDir } from '../helpers/db';
import { knowUrl, sqlRows } from '../helpers/engines';
import { freshPostgresStore, POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from '../helpers/postgres';

const ROWS = 40_000;
let csv: string;

beforeAll(() => {
  csv = path.join(tempDir(), 'refused.csv');
  writeDemoCsv(csv, { rows: ROWS, seed: 43 });
  // The first data row once more at the end: a duplicate referral_id on line ROWS + 2.
  const [, firstRow] = fs.readFileSync(csv, 'utf8').split('\n', 2);
  fs.appendFileSync(csv, `${firstRow}\n`);
});

describe.skipIf(!POSTGRES_ADMIN_URL)(`a file refused after its COPY began (PostgreSQL)${POSTGRES_ADMIN_URL ? '' : `: skipped, ${POSTGRES_SKIPPED}`}`, () => {
  it('is rejected with the line in words, nothing written, and the next import commits', async () => {
    const { url, store } = await freshPostgresStore();
    knowUrl(store, url);
    expect(fs.statSync(csv).size).toBeGreaterThan(6_000_000); // pieces of COPY text were sent before the refusal
    const tables = "SELECT (SELECT count(*) FROM referrals) AS referrals, (SELECT count(*) FROM referral_history) AS history, (SELECT count(*) FROM platforms) AS platforms, (SELECT count(*) FROM import_batches WHERE status = 'committed') AS committed";
    const before = await sqlRows(store, tables);

    const refused = await importFile(store, csv);
    expect(refused.status).toBe('rejected');
    expect(refused.inserted).toBe(0);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toMatchObject({ line: ROWS + 2, field: 'referral_id' });
    expect(refused.errors[0].message).toMatch(/^referral_id '[^']+' appears twice in the file: first on line 2$/);
    expect(await sqlRows(store, tables)).toEqual(before);

    // The connection came back to the pool usable: the fixture goes in whole.
    const next = await importFile(store, FIXTURE_CSV);
    expect([next.status, next.inserted]).toEqual(['committed', 24]);
    expect(Number((await sqlRows(store, 'SELECT count(*) AS n FROM referrals'))[0].n)).toBe(24);
  }, 60_000);
});
