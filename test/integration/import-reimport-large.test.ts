// A re-import of a file of more rows than an engine's small-file path (on
// PostgreSQL, READ_DIGESTS_AFTER: from there on, rows whose stored digest
// matches are not staged at all): changed rows on both sides of that
// threshold are updated with their history, new rows inserted, and every
// other row counted unchanged, on both engines alike.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { importFile } from '@/lib/import/import';
import { tempDir } from '../helpers/db';
import { describeEachEngine, sqlRows } from '../helpers/engines';

const ROWS = 30_000;
const NOTE = 'changed by the re-import test';
let original: string;
let changed: string;
/** The ids of the rows whose notes the second file changes: one early in the file, one late. */
let changedIds: string[];

beforeAll(() => {
  const dir = tempDir();
  original = path.join(dir, 'original.csv');
  writeDemoCsv(original, { rows: ROWS, seed: 51 });
  const lines = fs.readFileSync(original, 'utf8').trimEnd().split('\r\n');
  // Lines end in CRLF; data rows are lines[1..]; the notes are the last column, empty where a line ends with a comma.
  const withoutNotes = (from: number) => lines.findIndex((l, i) => i >= from && l.endsWith(','));
  const picked = [withoutNotes(10), withoutNotes(25_000)];
  changedIds = picked.map((i) => lines[i].split(',')[0]);
  for (const i of picked) lines[i] += NOTE;
  const added = lines.slice(1, 6).map((l) => l.replace(/^SYN-/, 'NEW-'));
  changed = path.join(dir, 'changed.csv');
  fs.writeFileSync(changed, `${[...lines, ...added].join('\r\n')}\r\n`);
});

describeEachEngine('re-importing a large file with a few changes', (engine) => {
  it('updates the changed rows with their history, inserts the new ones and counts the rest unchanged', async () => {
    const store = await engine.fresh();
    const first = await importFile(store, original);
    expect([first.status, first.inserted, first.updated, first.unchanged]).toEqual(['committed', ROWS, 0, 0]);

    const second = await importFile(store, changed);
    expect([second.status, second.rows, second.inserted, second.updated, second.unchanged]).toEqual(['committed', ROWS + 5, 5, 2, ROWS - 2]);
    const history = await sqlRows(store, 'SELECT referral_id, field, old_value, new_value FROM referral_history ORDER BY id');
    expect(history).toEqual(changedIds.map((id) => ({ referral_id: id, field: 'notes', old_value: null, new_value: NOTE })));
    expect(await sqlRows(store, "SELECT referral_id FROM referrals WHERE notes = ? ORDER BY id", [NOTE])).toEqual(changedIds.map((id) => ({ referral_id: id })));
    expect(await sqlRows(store, "SELECT count(*) AS n FROM referrals WHERE referral_id LIKE 'NEW-%' AND created_batch = updated_batch")).toEqual([{ n: 5 }]);

    // The same file once more: nothing changes, nothing is written.
    const third = await importFile(store, changed);
    expect([third.inserted, third.updated, third.unchanged]).toEqual([0, 0, ROWS + 5]);
    expect(await sqlRows(store, 'SELECT count(*) AS n FROM referral_history')).toEqual([{ n: 2 }]);
    await store.close();
  }, 120_000);
});
