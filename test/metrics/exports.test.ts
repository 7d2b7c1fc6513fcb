// The records CSV export: the rows of the filters, as known at as_of, and
// never a cell a spreadsheet would run as a formula.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as referralsCsv } from '@/app/api/v1/referrals.csv/route';
import { importFile } from '@/lib/import/import';
import { neutraliseCell } from '@/lib/referrals';
import { FIXTURE_CSV, memoryDb, writeTemp } from '../helpers/db';
import { useDatabase } from '../helpers/http';
import { csvOf, validRow } from '../helpers/rows';

beforeAll(() => {
  const db = memoryDb();
  importFile(db, FIXTURE_CSV);
  importFile(db, writeTemp('evil.csv', csvOf([validRow({ referral_id: '=SUM(A1:A9)', platform: 'beta', referred_at: '2026-02-02T00:00:00Z', outcome_at: '2026-02-02T01:00:00Z' })])));
  useDatabase(db);
});
afterAll(() => useDatabase(undefined));

describe('GET /api/v1/referrals.csv', () => {
  it('streams the filtered records with a header and a server-chosen file name', async () => {
    const response = await referralsCsv(new Request('http://localhost/api/v1/referrals.csv?as_of=2026-03-01T00:00:00Z&platform=gamma&sort=referral_id'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="referrals-as-of-2026-03-01T000000Z.csv"');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'referral_id,kind,unit,campaign,platform,platform_name,group,group_name,language,content_type,url,content_hash,referred_at,received_at,outcome,outcome_at,outcome_reason,clock_paused_hours,views_at_referral,views_at_outcome',
    );
    // gamma holds FX-018 to FX-024.
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['FX-018', 'FX-019', 'FX-020', 'FX-021', 'FX-022', 'FX-023', 'FX-024']);
  });

  it('shows records as known at as_of', async () => {
    const response = await referralsCsv(new Request('http://localhost/api/v1/referrals.csv?as_of=2026-03-01T00:00:00Z&platform=beta&sort=referral_id'));
    const fx014 = (await response.text()).split('\r\n').find((l) => l.startsWith('FX-014'))!;
    // Removed on 5 March: at 1 March still pending, with no outcome time.
    expect(fx014).toContain(',pending,,');
  });

  it('neutralises cells that a spreadsheet would run as formulas', async () => {
    const text = await (await referralsCsv(new Request('http://localhost/api/v1/referrals.csv?as_of=2026-03-01T00:00:00Z&platform=beta&sort=referral_id'))).text();
    expect(text).toContain("\r\n'=SUM(A1:A9),referral,");
    expect(neutraliseCell('+1')).toBe("'+1");
    expect(neutraliseCell('@cmd')).toBe("'@cmd");
    expect(neutraliseCell('-2')).toBe("'-2");
    expect(neutraliseCell(-2)).toBe(-2);
    expect(neutraliseCell('plain')).toBe('plain');
  });

  it('answers 400 for bad parameters', async () => {
    const response = await referralsCsv(new Request('http://localhost/api/v1/referrals.csv?sort=url'));
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues[0].param).toBe('sort');
  });
});
