// Answers are cached per (request, data version): a committed import makes
// the next identical request compute afresh; a rejected one does not.
import { afterAll, describe, expect, it } from 'vitest';
import { GET as summary } from '@/app/api/v1/summary/route';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, memoryDb, writeTemp } from '../helpers/db';
import { call, useDatabase } from '../helpers/http';
import { csvOf, validRow } from '../helpers/rows';

afterAll(() => useDatabase(undefined));

describe('the result cache', () => {
  it('serves the new figures after a committed import, with a new ETag', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    await useDatabase(db);
    const path = '/api/v1/summary?as_of=2026-03-01T00:00:00Z';
    const first = await call(summary, path);
    expect(first.body.total).toBe(24);

    const rejected = await importFile(db, writeTemp('bad.csv', csvOf([validRow({ referral_id: 'X-1', kind: 'nonsense' })])));
    expect(rejected.status).toBe('rejected');
    const same = await call(summary, path);
    expect(same.response.headers.get('etag')).toBe(first.response.headers.get('etag'));

    await importFile(db, writeTemp('more.csv', csvOf([validRow({ referral_id: 'X-2' })])));
    const after = await call(summary, path);
    expect(after.body.total).toBe(25);
    expect(after.response.headers.get('etag')).not.toBe(first.response.headers.get('etag'));
  });
});
