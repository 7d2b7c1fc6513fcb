// DATA-MODEL.md, issue 2: each bad input gets its own clear message naming
// line and field, and leaves every table unchanged (only the batch log
// records the rejected attempt).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@/db/store';
import { importFile, type ImportFormat, type ImportResult } from '@/lib/import/import';
import { FIXTURE_CSV, writeTemp } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';
import { checksumOf, countOf, DATA_TABLES, describeEachEngine, sqlRows, sqlValue } from '../helpers/engines';

describeEachEngine('bad input', ({ fresh }) => {
  const NOW = Date.UTC(2026, 10, 30, 12, 0);

  let db: Store;
  let before: string;

  beforeEach(async () => {
    db = await fresh();
    await importFile(db, FIXTURE_CSV, { now: NOW });
    before = await checksumOf(db, DATA_TABLES);
  });

  async function importText(name: string, content: string | Buffer, format?: ImportFormat): Promise<ImportResult> {
    return importFile(db, writeTemp(name, content), { now: NOW, format });
  }

  /** The file was refused, nothing but a rejected batch row was written, and the errors are these. */
  async function expectRejected(result: ImportResult, expected: { line: number; field: string; message: RegExp }[]) {
    expect(result.status).toBe('rejected');
    expect(result.inserted + result.updated + result.unchanged).toBe(0);
    expect(await checksumOf(db, DATA_TABLES)).toBe(before);
    expect(await countOf(db, 'referrals')).toBe(24);
    expect(await countOf(db, 'import_batches', "status = 'rejected'")).toBe(1);
    expect(result.errors).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(result.errors[i].line, `error ${i} line`).toBe(e.line);
      expect(result.errors[i].field, `error ${i} field`).toBe(e.field);
      expect(result.errors[i].message).toMatch(e.message);
    });
  }

  describe('bad input is refused with line and field, and changes nothing', () => {
    it('bytes that are not UTF-8', async () => {
      const good = csvOf([validRow({ referral_id: 'N-1' }), validRow({ referral_id: 'N-2', notes: 'caf\u00e9' })]);
      const bytes = Buffer.from(good, 'utf8');
      // Replace the two UTF-8 bytes of é on line 3 with a lone Latin-1 byte.
      const at = bytes.indexOf(Buffer.from('é', 'utf8'));
      const latin1 = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe9]), bytes.subarray(at + 2)]);
      await expectRejected(await importText('latin1.csv', latin1), [{ line: 3, field: '', message: /line 3: the file is not valid UTF-8/ }]);
    });

    it('an unclosed quote', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1' })]) + 'N-2,referral,eu-iru,,alpha,daesh,ar,video,"https://alpha.example/x,\n';
      await expectRejected(await importText('quote.csv', text), [{ line: 3, field: '', message: /unclosed quote.*line 3/ }]);
    });

    it('a row with the wrong number of fields', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1' })]) + 'N-2,referral,eu-iru\n';
      await expectRejected(await importText('short.csv', text), [{ line: 3, field: '', message: /expected 19 fields as in the header, found 3/ }]);
    });

    it('an unknown column', async () => {
      const columns = ['referral_id', 'kind', 'unit', 'platform', 'language', 'content_type', 'url', 'referred_at', 'outcome', 'outcome_at', 'severity'];
      const text = csvOf([{ ...validRow(), severity: 'high' }], columns);
      await expectRejected(await importText('unknown.csv', text), [{ line: 1, field: 'severity', message: /unknown column 'severity' \(column 11\)/ }]);
    });

    it('an unknown column that is explicitly ignored is accepted', async () => {
      const columns = ['referral_id', 'kind', 'unit', 'platform', 'language', 'content_type', 'url', 'referred_at', 'outcome', 'outcome_at', 'severity'];
      const file = writeTemp('ignored.csv', csvOf([{ ...validRow({ referral_id: 'N-1' }), severity: 'high' }], columns));
      const result = await importFile(db, file, { now: NOW, ignoreColumns: ['severity'] });
      expect(result).toMatchObject({ status: 'committed', inserted: 1 });
    });

    it('a missing required column', async () => {
      const columns = ['referral_id', 'kind', 'unit', 'platform', 'language', 'content_type', 'referred_at', 'outcome', 'outcome_at'];
      await expectRejected(await importText('nourl.csv', csvOf([validRow()], columns)), [{ line: 1, field: 'url', message: /missing required column 'url'/ }]);
    });

    it('the same referral_id twice in the file', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1' }), validRow({ referral_id: 'N-2' }), validRow({ referral_id: 'N-1' })]);
      await expectRejected(await importText('dup.csv', text), [
        { line: 4, field: 'referral_id', message: /referral_id 'N-1' appears twice in the file: first on line 2/ },
      ]);
    });

    it('a value outside an enum', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', outcome: 'deleted' })]);
      await expectRejected(await importText('enum.csv', text), [
        { line: 2, field: 'outcome', message: /outcome 'deleted' is not one of: pending, removed, disabled, rejected, unavailable/ },
      ]);
    });

    it('an instant without offset', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', referred_at: '2026-02-01T08:30:00' })]);
      await expectRejected(await importText('offset.csv', text), [{ line: 2, field: 'referred_at', message: /has no UTC offset/ }]);
    });

    it('a bare date instead of an instant', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', outcome_at: '2026-02-03' })]);
      await expectRejected(await importText('date.csv', text), [{ line: 2, field: 'outcome_at', message: /is a date without a time/ }]);
    });

    it('outcome_at before referred_at', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', outcome_at: '2026-01-31T23:59:00Z' })]);
      await expectRejected(await importText('before.csv', text), [{ line: 2, field: 'outcome_at', message: /outcome_at is before referred_at/ }]);
    });

    // Issue 23: one refusing test per row rule of DATA-MODEL.md, each naming line and field.
    it('received_at before referred_at', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', kind: 'removal_order', received_at: '2026-01-31T23:59:00Z' })]);
      await expectRejected(await importText('receipt.csv', text), [{ line: 2, field: 'received_at', message: /received_at is before referred_at/ }]);
    });

    it('received_at at the very instant of the referral is accepted', async () => {
      const file = writeTemp('receipt-same.csv', csvOf([validRow({ referral_id: 'N-1', kind: 'removal_order', received_at: '2026-02-01T00:00:00Z' })]));
      expect((await importFile(db, file, { now: NOW })).status).toBe('committed');
    });

    it('a code with characters a code may not hold', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', platform: 'bad platform!' })]);
      await expectRejected(await importText('code.csv', text), [{ line: 2, field: 'platform', message: /platform 'bad platform!' is not a code/ }]);
    });

    it('an outcome_reason that is not a reason code', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', outcome: 'rejected', outcome_reason: 'Force Majeure' })]);
      await expectRejected(await importText('reason.csv', text), [{ line: 2, field: 'outcome_reason', message: /outcome_reason 'Force Majeure' is not a reason code/ }]);
    });

    it('a negative paused time, and a view count that is not a whole number', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', kind: 'removal_order', clock_paused_hours: '-1' }), validRow({ referral_id: 'N-2', views_at_referral: '10.5' })]);
      await expectRejected(await importText('numbers.csv', text), [
        { line: 2, field: 'clock_paused_hours', message: /clock_paused_hours '-1' is not a number ≥ 0|clock_paused_hours must be a number ≥ 0/ },
        { line: 3, field: 'views_at_referral', message: /views_at_referral must be a whole number, got 10.5/ },
      ]);
    });

    it('a view count beyond 2^53 − 1, and the largest exact one accepted', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', views_at_referral: '1e21' }), validRow({ referral_id: 'N-2', views_at_outcome: '9007199254740992' })]);
      await expectRejected(await importText('huge.csv', text), [
        { line: 2, field: 'views_at_referral', message: /^views_at_referral is 1e21: counts above 9,007,199,254,740,991 cannot be held exactly$/ },
        { line: 3, field: 'views_at_outcome', message: /^views_at_outcome is 9007199254740992: counts above/ },
      ]);
      const file = writeTemp('largest.csv', csvOf([validRow({ referral_id: 'N-1', views_at_referral: '9007199254740991' })]));
      expect((await importFile(db, file, { now: NOW })).status).toBe('committed');
      expect(await sqlValue(db, "SELECT views_at_referral FROM referrals WHERE referral_id = 'N-1'")).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('a NUL character in a text field', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', notes: 'before\u0000after' }), validRow({ referral_id: 'N\u00002' })]);
      await expectRejected(await importText('nul.csv', text), [
        { line: 2, field: 'notes', message: /^notes holds a NUL character \(U\+0000\) at position 7: remove it$/ },
        { line: 3, field: 'referral_id', message: /^referral_id holds a NUL character/ },
      ]);
    });

    it('referred_at in the future (beyond 5 minutes of clock skew)', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', referred_at: '2026-11-30T12:06:00Z', outcome: 'pending', outcome_at: '' })]);
      await expectRejected(await importText('future.csv', text), [{ line: 2, field: 'referred_at', message: /referred_at 2026-11-30T12:06:00Z is in the future/ }]);
    });

    it('referred_at within the tolerated clock skew is accepted', async () => {
      const file = writeTemp('skew.csv', csvOf([validRow({ referral_id: 'N-1', referred_at: '2026-11-30T12:04:00Z', outcome: 'pending', outcome_at: '' })]));
      expect((await importFile(db, file, { now: NOW })).status).toBe('committed');
    });

    it('a URL that is not http(s)', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', url: 'ftp://alpha.example/item' })]);
      await expectRejected(await importText('url.csv', text), [{ line: 2, field: 'url', message: /url 'ftp:\/\/alpha.example\/item' is not an absolute http\(s\) URL/ }]);
    });

    it('a relative URL', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', url: '/item/1' })]);
      await expectRejected(await importText('relurl.csv', text), [{ line: 2, field: 'url', message: /not an absolute http\(s\) URL/ }]);
    });

    it('a field over its length limit', async () => {
      const text = csvOf([validRow({ referral_id: 'N'.repeat(129) })]);
      await expectRejected(await importText('long.csv', text), [{ line: 2, field: 'referral_id', message: /referral_id is 129 characters long; at most 128 are allowed/ }]);
    });

    it('outcome_at given for a pending referral', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', outcome: 'pending' })]);
      await expectRejected(await importText('pending.csv', text), [{ line: 2, field: 'outcome_at', message: /outcome_at must be empty while the outcome is pending/ }]);
    });

    it('outcome_at missing for a final outcome', async () => {
      const text = csvOf([validRow({ referral_id: 'N-1', outcome: 'rejected', outcome_at: '' })]);
      await expectRejected(await importText('final.csv', text), [{ line: 2, field: 'outcome_at', message: /outcome_at is required for outcome 'rejected'/ }]);
    });

    it('malformed JSON', async () => {
      const json = `[\n  ${JSON.stringify(validRow({ referral_id: 'J-1' }))},\n  {"referral_id": "J-2" "kind": "referral"}\n]\n`;
      await expectRejected(await importText('broken.json', json), [{ line: 3, field: '', message: /malformed JSON at line 3/ }]);
    });

    it('a JSON array that is never closed', async () => {
      const row = JSON.stringify({ ...validRow({ referral_id: 'J-1' }) });
      await expectRejected(await importText('open.json', `[\n${row}\n`), [{ line: 3, field: '', message: /the array is not closed/ }]);
    });

    it('an unknown key in a JSON object', async () => {
      const json = JSON.stringify([{ ...validRow({ referral_id: 'J-1' }), severity: 'high' }]);
      await expectRejected(await importText('key.json', json), [{ line: 1, field: 'severity', message: /unknown field 'severity'/ }]);
    });

    it('lists every bad row, and keeps nothing of the good ones', async () => {
      const text = csvOf([
        validRow({ referral_id: 'N-1' }),
        validRow({ referral_id: 'N-2', kind: 'order' }),
        validRow({ referral_id: 'N-3' }),
        validRow({ referral_id: 'N-4', language: 'xx', views_at_referral: '-3' }),
      ]);
      await expectRejected(await importText('several.csv', text), [
        { line: 3, field: 'kind', message: /kind 'order' is not one of/ },
        { line: 5, field: 'language', message: /language 'xx' is not an ISO 639-1 code/ },
        { line: 5, field: 'views_at_referral', message: /views_at_referral '-3' is not a number ≥ 0/ },
      ]);
      expect(await countOf(db, 'referrals', "referral_id IN ('N-1', 'N-3')")).toBe(0);
    });
  });

  describe('accepted file shapes', () => {
    it('a UTF-8 BOM and CRLF line ends', async () => {
      const text = '\uFEFF' + csvOf([validRow({ referral_id: 'B-1' }), validRow({ referral_id: 'B-2', notes: 'ok' })]).replaceAll('\n', '\r\n');
      const result = await importText('bom.csv', text);
      expect(result).toMatchObject({ status: 'committed', inserted: 2 });
      expect(await sqlValue(db, "SELECT notes FROM referrals WHERE referral_id = 'B-2'")).toBe('ok');
      expect(await sqlValue(db, "SELECT url FROM referrals WHERE referral_id = 'B-1'")).toBe('https://alpha.example/item/T-1');
    });

    it('a header-only file (0 rows)', async () => {
      const result = await importText('empty.csv', csvOf([]));
      expect(result).toMatchObject({ status: 'committed', rows: 0, inserted: 0 });
      expect(await checksumOf(db, DATA_TABLES)).toBe(before);
    });

    it('quoted fields with commas, doubled quotes and line breaks, keeping line numbers right', async () => {
      const header = csvOf([]).trim();
      const row = (id: string, notes: string) =>
        `${id},referral,eu-iru,,alpha,daesh,ar,video,https://alpha.example/${id},,2026-02-01T00:00:00Z,,pending,,,,,,${notes}`;
      const text = [header, row('Q-1', '"one, ""two""\nthree"'), row('Q-2', 'plain'), row('Q-3', '"x"').replace('eu-iru', 'eu iru')].join('\n');
      const result = await importText('quoted.csv', text);
      // The third record starts on line 5 because the first spans lines 2-3.
      expect(result.errors[0]).toMatchObject({ line: 5, field: 'unit' });
      const ok = await importText('quoted-ok.csv', [header, row('Q-1', '"one, ""two""\nthree"'), row('Q-2', 'plain')].join('\n'));
      expect(ok.status).toBe('committed');
      expect(await sqlValue(db, "SELECT notes FROM referrals WHERE referral_id = 'Q-1'")).toBe('one, "two"\nthree');
    });

    it('JSON arrays and NDJSON, with numbers as numbers', async () => {
      const a = { ...validRow({ referral_id: 'J-1' }), views_at_referral: 10, views_at_outcome: 25, clock_paused_hours: null };
      const b = { ...validRow({ referral_id: 'J-2', outcome: 'pending', outcome_at: '' }) };
      expect(await importText('a.json', JSON.stringify([a, b], null, 2))).toMatchObject({ status: 'committed', inserted: 2 });
      const c = { ...validRow({ referral_id: 'J-3' }) };
      const nd = await importText('c.ndjson', `${JSON.stringify(c)}\n${JSON.stringify({ ...b, referral_id: 'J-4' })}\n`);
      expect(nd).toMatchObject({ status: 'committed', format: 'ndjson', inserted: 2 });
      expect((await sqlRows(db, "SELECT views_at_referral, views_at_outcome FROM referrals WHERE referral_id = 'J-1'"))[0]).toEqual({
        views_at_referral: 10,
        views_at_outcome: 25,
      });
    });

    it('an offset other than Z is converted to UTC', async () => {
      await importText('offset.csv', csvOf([validRow({ referral_id: 'O-1', referred_at: '2026-02-01T01:30:00+02:00', outcome: 'pending', outcome_at: '' })]));
      expect(await sqlValue(db, "SELECT referred_at FROM referrals WHERE referral_id = 'O-1'")).toBe(Date.UTC(2026, 0, 31, 23, 30));
    });
  });
});
