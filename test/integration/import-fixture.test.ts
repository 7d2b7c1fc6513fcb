import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@/db/store';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, writeTemp } from '../helpers/db';
import { checksumOf, countOf, DATA_TABLES, describeEachEngine, sqlRows, sqlValue } from '../helpers/engines';

describeEachEngine('importing the shared fixture', ({ fresh }) => {
  const NOW = Date.UTC(2026, 10, 30);

  /** The fixture read the simple way (it has no quoted fields), as an independent reference. */
  function fixtureRows(): Record<string, string>[] {
    const [header, ...lines] = fs.readFileSync(FIXTURE_CSV, 'utf8').trim().split('\n');
    const names = header.split(',');
    return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
  }

  async function stored(db: Store, referralId: string) {
    return (await sqlRows(db, 'SELECT * FROM referrals WHERE referral_id = ?', [referralId]))[0];
  }

  describe('importing the shared fixture', () => {
    let db: Store;
    beforeEach(async () => {
      db = await fresh();
    });

    it('stores 24 referrals with the values of the file', async () => {
      const result = await importFile(db, FIXTURE_CSV, { now: NOW });
      expect(result.status).toBe('committed');
      expect(result).toMatchObject({ rows: 24, inserted: 24, updated: 0, unchanged: 0, rejected: 0, errorCount: 0 });
      expect(await countOf(db, 'referrals')).toBe(24);

      const ms = (s: string) => (s === '' ? null : Date.parse(s));
      const num = (s: string) => (s === '' ? null : Number(s));
      for (const row of fixtureRows()) {
        const r = await stored(db, row.referral_id);
        expect(r, row.referral_id).toMatchObject({
          kind: row.kind,
          unit: row.unit,
          campaign: row.campaign || null,
          platform: row.platform,
          group_code: row.group || 'unattributed',
          language: row.language,
          content_type: row.content_type,
          url: row.url,
          content_hash: row.content_hash || null,
          referred_at: ms(row.referred_at),
          received_at: ms(row.received_at),
          outcome: row.outcome,
          outcome_at: ms(row.outcome_at),
          outcome_reason: row.outcome_reason || null,
          clock_paused_hours: num(row.clock_paused_hours),
          views_at_referral: num(row.views_at_referral),
          views_at_outcome: num(row.views_at_outcome),
          notes: row.notes || null,
        });
      }
    });

    it('stores instants as UTC milliseconds (spot checks worked out by hand)', async () => {
      await importFile(db, FIXTURE_CSV, { now: NOW });
      // FX-001: referred 2026-02-10 08:00Z, received 08:10Z, removed 08:40Z.
      expect(await stored(db, 'FX-001')).toMatchObject({ referred_at: 1770710400000, received_at: 1770711000000, outcome_at: 1770712800000 });
      // FX-004: paused clock of 2 hours, no receipt time.
      expect(await stored(db, 'FX-004')).toMatchObject({ clock_paused_hours: 2, received_at: null });
      // FX-023: no group in the file means unattributed.
      expect(await stored(db, 'FX-023')).toMatchObject({ group_code: 'unattributed', language: 'und', campaign: 'rad-feb' });
    });

    it('creates unknown reference codes and lists them', async () => {
      const result = await importFile(db, FIXTURE_CSV, { now: NOW });
      expect(result.createdCodes).toEqual({
        platforms: ['alpha', 'beta', 'gamma'],
        groups: ['daesh', 'aq', 'jund-al-aqsa', 'unattributed'],
        units: ['eu-iru', 'be', 'gr', 'pl', 'pt', 'us'],
        campaigns: ['rad-feb'],
      });
      expect(await sqlRows(db, "SELECT name, type FROM platforms WHERE code = 'alpha'")).toEqual([{ name: 'alpha', type: 'other' }]);
      expect(await sqlValue(db, "SELECT ideology FROM groups WHERE code = 'unattributed'")).toBe('unattributed');
      expect(await sqlValue(db, "SELECT ideology FROM groups WHERE code = 'daesh'")).toBe('other');
    });

    it('records the batch with the SHA-256 of the file and its counts', async () => {
      const result = await importFile(db, FIXTURE_CSV, { now: NOW, actor: 'cli:tester' });
      const [batch] = await sqlRows(db, 'SELECT * FROM import_batches WHERE id = ?', [result.batchId]);
      const sha = createHash('sha256').update(fs.readFileSync(FIXTURE_CSV)).digest('hex');
      expect(batch).toMatchObject({
        file_name: 'referrals-small.csv',
        sha256: sha,
        format: 'csv',
        actor: 'cli:tester',
        status: 'committed',
        rows: 24,
        inserted: 24,
        updated: 0,
        unchanged: 0,
        rejected: 0,
      });
    });

    it('is idempotent: the same file again reports 24 unchanged and changes nothing', async () => {
      await importFile(db, FIXTURE_CSV, { now: NOW });
      const before = await checksumOf(db, DATA_TABLES);
      const again = await importFile(db, FIXTURE_CSV, { now: NOW });
      expect(again).toMatchObject({ status: 'committed', rows: 24, inserted: 0, updated: 0, unchanged: 24 });
      expect(await checksumOf(db, DATA_TABLES)).toBe(before);
      expect(await countOf(db, 'import_batches')).toBe(2);
    });

    it('repairs a stale row digest without reporting a change', async () => {
      await importFile(db, FIXTURE_CSV, { now: NOW });
      await sqlRows(db, "UPDATE referrals SET row_digest = 0 WHERE referral_id = 'FX-005'");
      const again = await importFile(db, FIXTURE_CSV, { now: NOW });
      expect(again).toMatchObject({ status: 'committed', updated: 0, unchanged: 24 });
      expect(await countOf(db, 'referral_history')).toBe(0);
      expect(await stored(db, 'FX-005')).toMatchObject({ updated_batch: 1 });
      expect((await stored(db, 'FX-005')).row_digest).not.toBe(0);
    });

    it('moves a pending referral to removed and keeps the change in the history', async () => {
      await importFile(db, FIXTURE_CSV, { now: NOW });
      const header = fs.readFileSync(FIXTURE_CSV, 'utf8').split('\n')[0];
      const later = writeTemp(
        'later.csv',
        `${header}\nFX-007,referral,eu-iru,,alpha,daesh,ar,video,https://alpha.example/item/FX-007,,2026-02-28T23:30:00Z,,removed,2026-03-02T10:00:00+01:00,,,,,\n` +
          `FX-012,referral,pl,,beta,aq,en,video,https://beta.example/item/FX-012,,2026-02-05T00:00:00Z,,pending,,,,,,\n`,
      );
      const result = await importFile(db, later, { now: NOW });
      expect(result).toMatchObject({ status: 'committed', rows: 2, inserted: 0, updated: 1, unchanged: 1 });
      expect(await stored(db, 'FX-007')).toMatchObject({ outcome: 'removed', outcome_at: Date.UTC(2026, 2, 2, 9, 0), updated_batch: result.batchId, created_batch: 1 });
      const history = await sqlRows(db, 'SELECT referral_id, batch_id, field, old_value, new_value FROM referral_history ORDER BY id');
      expect(history).toEqual([
        { referral_id: 'FX-007', batch_id: result.batchId, field: 'outcome', old_value: 'pending', new_value: 'removed' },
        { referral_id: 'FX-007', batch_id: result.batchId, field: 'outcome_at', old_value: null, new_value: '2026-03-02T09:00:00Z' },
      ]);
    });
  });
});
