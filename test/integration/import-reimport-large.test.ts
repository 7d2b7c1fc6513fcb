// Imports larger than PostgreSQL's small-file path and its merge slices
// (READ_DIGESTS_AFTER: from there on, rows whose stored digest matches are
// not staged at all; ROWS_PER_MERGE: the staged rows are merged in slices
// while the file is read): rows keep the file's order, changed rows on both
// sides of those points are updated with their history, new rows inserted,
// every other row counted unchanged, on both engines alike.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { importFile } from '@/lib/import/import';
import { tempDir } from '../helpers/db';
import { describeEachEngine, sqlRows } from '../helpers/engines';

const ROWS = 120_000;
const NOTE = 'changed by the re-import test';
let original: string;
let changed: string;
/** The ids of the rows whose notes the second file changes: one early in the file, one after 20,000 rows, one after 100,000. */
let changedIds: string[];
/** Every row's notes set where the original had none (the three above among them): how many rows that changes. */
let allChanged: string;
let allChangedCount: number;

beforeAll(() => {
  const dir = tempDir();
  original = path.join(dir, 'original.csv');
  writeDemoCsv(original, { rows: ROWS, seed: 51 });
  const lines = fs.readFileSync(original, 'utf8').trimEnd().split('\r\n');
  // Lines end in CRLF; data rows are lines[1..]; the notes are the last column, empty where a line ends with a comma.
  const withoutNotes = (from: number) => lines.findIndex((l, i) => i >= from && l.endsWith(','));
  const picked = [withoutNotes(10), withoutNotes(25_000), withoutNotes(110_000)];
  changedIds = picked.map((i) => lines[i].split(',')[0]);
  for (const i of picked) lines[i] += NOTE;
  const added = lines.slice(1, 6).map((l) => l.replace(/^SYN-/, 'NEW-'));
  changed = path.join(dir, 'changed.csv');
  fs.writeFileSync(changed, `${[...lines, ...added].join('\r\n')}\r\n`);
  const everyNote = lines.map((l, i) => (i > 0 && l.endsWith(',') ? `${l}every note` : l));
  allChangedCount = everyNote.filter((l, i) => l !== lines[i]).length;
  allChanged = path.join(dir, 'all-changed.csv');
  fs.writeFileSync(allChanged, `${[...everyNote, ...added].join('\r\n')}\r\n`);
});

describeEachEngine('re-importing a large file with a few changes', (engine) => {
  it('updates the changed rows with their history, inserts the new ones and counts the rest unchanged', async () => {
    const store = await engine.fresh();
    const first = await importFile(store, original);
    expect([first.status, first.inserted, first.updated, first.unchanged]).toEqual(['committed', ROWS, 0, 0]);
    // Row ids follow the file (its ids ascend): no slice was merged out of turn.
    const outOfOrder = 'SELECT count(*) AS n FROM (SELECT referral_id, lag(referral_id) OVER (ORDER BY id) AS before FROM referrals) t WHERE t.before > t.referral_id';
    expect(await sqlRows(store, outOfOrder)).toEqual([{ n: 0 }]);

    const second = await importFile(store, changed);
    expect([second.status, second.rows, second.inserted, second.updated, second.unchanged]).toEqual(['committed', ROWS + 5, 5, 3, ROWS - 3]);
    const history = await sqlRows(store, 'SELECT referral_id, field, old_value, new_value FROM referral_history ORDER BY id');
    expect(history).toEqual(changedIds.map((id) => ({ referral_id: id, field: 'notes', old_value: null, new_value: NOTE })));
    expect(await sqlRows(store, "SELECT referral_id FROM referrals WHERE notes = ? ORDER BY id", [NOTE])).toEqual(changedIds.map((id) => ({ referral_id: id })));
    expect(await sqlRows(store, "SELECT count(*) AS n FROM referrals WHERE referral_id LIKE 'NEW-%' AND created_batch = updated_batch")).toEqual([{ n: 5 }]);

    // The same file once more: nothing changes, nothing is written.
    const third = await importFile(store, changed);
    expect([third.inserted, third.updated, third.unchanged]).toEqual([0, 0, ROWS + 5]);
    expect(await sqlRows(store, 'SELECT count(*) AS n FROM referral_history')).toEqual([{ n: 3 }]);

    // Nearly every row changed: the update and its history go through every slice.
    expect(allChangedCount).toBeGreaterThan(ROWS / 2);
    const fourth = await importFile(store, allChanged);
    expect([fourth.inserted, fourth.updated, fourth.unchanged]).toEqual([0, allChangedCount, ROWS + 5 - allChangedCount]);
    expect(await sqlRows(store, "SELECT count(*) AS n FROM referral_history WHERE new_value = 'every note'")).toEqual([{ n: allChangedCount }]);
    // Its history is in file order too.
    const historyOrder = `SELECT count(*) AS n FROM (SELECT h.referral_id, lag(h.referral_id) OVER (ORDER BY h.id) AS before FROM referral_history h WHERE h.new_value = 'every note') t WHERE t.before > t.referral_id`;
    expect(await sqlRows(store, historyOrder)).toEqual([{ n: 0 }]);
    await store.close();
  }, 240_000);
});
