// The CSV exports (records and breakdowns): the rows of the filters, as
// known at as_of, a BOM, a server-chosen file name, and never a cell a
// spreadsheet would run as a formula. And the PDF route without Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as breakdownJson } from '@/app/api/v1/breakdown/route';
import { GET as breakdownCsv } from '@/app/api/v1/breakdown.csv/route';
import { GET as referralsCsv } from '@/app/api/v1/referrals.csv/route';
import { GET as briefingPdf } from '@/app/briefing.pdf/route';
import { BREAKDOWN_CSV_COLUMNS } from '@/lib/breakdown-csv';
import type { BreakdownRow } from '@/lib/metrics';
import { CSV_BOM } from '@/lib/csv';
import { CsvParser, type CsvRecord } from '@/lib/import/parse-csv';
import { importFile } from '@/lib/import/import';
import { neutraliseCell } from '@/lib/referrals';
import { readFileSync } from 'node:fs';
import { FIXTURE_CSV, FIXTURE_EXPECTED, memoryDb, writeTemp } from '../helpers/db';
import { expectFigures } from '../helpers/figures';
import { request, useDatabase } from '../helpers/http';
import { csvOf, validRow } from '../helpers/rows';

/** The body as text, after checking that it starts with the UTF-8 BOM (which a decoder drops). */
async function csvText(response: Response): Promise<string> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([...new TextEncoder().encode(CSV_BOM)]);
  return new TextDecoder().decode(bytes);
}

beforeAll(async () => {
  const db = memoryDb();
  await importFile(db, FIXTURE_CSV);
  await importFile(db, writeTemp('evil.csv', csvOf([validRow({ referral_id: '=SUM(A1:A9)', platform: 'delta', url: 'https://delta.example/x', referred_at: '2026-02-02T00:00:00Z', outcome_at: '2026-02-02T01:00:00Z' })])));
  await useDatabase(db);
});
afterAll(() => useDatabase(undefined));

describe('GET /api/v1/referrals.csv', () => {
  it('streams the filtered records with a header and a server-chosen file name', async () => {
    const response = await referralsCsv(request('http://localhost/api/v1/referrals.csv?as_of=2026-03-01T00:00:00Z&platform=gamma&sort=referral_id'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="referrals_all-dates_platform-gamma_as-of-2026-03-01T0000Z.csv"');
    const text = await csvText(response);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'referral_id,kind,unit,campaign,platform,platform_name,group,group_name,language,content_type,url,content_hash,referred_at,received_at,outcome,outcome_at,outcome_reason,clock_paused_hours,views_at_referral,views_at_outcome',
    );
    // gamma holds FX-018 to FX-024.
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['FX-018', 'FX-019', 'FX-020', 'FX-021', 'FX-022', 'FX-023', 'FX-024']);
  });

  it('shows records as known at as_of', async () => {
    const response = await referralsCsv(request('http://localhost/api/v1/referrals.csv?as_of=2026-03-01T00:00:00Z&platform=beta&sort=referral_id'));
    const fx014 = (await response.text()).split('\r\n').find((l) => l.startsWith('FX-014'))!;
    // Removed on 5 March: at 1 March still pending, with no outcome time.
    expect(fx014).toContain(',pending,,');
  });

  it('writes every field of every record as the import file gave it (the fixture, read here by hand)', async () => {
    // After every outcome of the fixture (the last, FX-014, on 5 March), so
    // each record is exported as imported. The fixture has no quoted cells.
    const [fileHeader, ...fileLines] = readFileSync(FIXTURE_CSV, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
    const response = await referralsCsv(request('http://localhost/api/v1/referrals.csv?as_of=2026-03-10T00:00:00Z&platform=alpha,beta,gamma&sort=referral_id'));
    const [header, ...lines] = (await csvText(response)).trim().split('\r\n').map((l) => l.split(','));
    expect(lines).toHaveLength(fileLines.length);
    const compared = header.filter((c) => c !== 'platform_name' && c !== 'group_name');
    // The export names every column of the import but the free-text notes.
    expect(compared).toEqual(fileHeader.filter((c) => c !== 'notes'));
    lines.forEach((line, i) => {
      for (const column of compared) {
        const given = fileLines[i][fileHeader.indexOf(column)];
        // An empty group is stored as "unattributed" (DATA-MODEL.md).
        const expected = column === 'group' && given === '' ? 'unattributed' : given;
        expect(line[header.indexOf(column)], `${fileLines[i][0]} ${column}`).toBe(expected);
      }
    });
  });

  it('neutralises cells that a spreadsheet would run as formulas', async () => {
    const text = await (await referralsCsv(request('http://localhost/api/v1/referrals.csv?as_of=2026-03-01T00:00:00Z&platform=delta&sort=referral_id'))).text();
    expect(text).toContain("\r\n'=SUM(A1:A9),referral,");
    expect(neutraliseCell('+1')).toBe("'+1");
    expect(neutraliseCell('@cmd')).toBe("'@cmd");
    // A plain negative number stays a number; anything else starting with '-' is text.
    expect(neutraliseCell('-2')).toBe('-2');
    expect(neutraliseCell('-2+3')).toBe("'-2+3");
    expect(neutraliseCell(-2)).toBe(-2);
    expect(neutraliseCell('plain')).toBe('plain');
  });

  it('answers 400 for bad parameters', async () => {
    const response = await referralsCsv(request('http://localhost/api/v1/referrals.csv?sort=url'));
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues[0].param).toBe('sort');
  });
});

function parseCsv(text: string): string[][] {
  const records: CsvRecord[] = [];
  const parser = new CsvParser((r) => records.push(r));
  parser.push(text, true);
  return records.map((r) => r.fields);
}

describe('GET /api/v1/breakdown.csv', () => {
  it('holds the figures of the breakdown API, one row per key, under a name that carries the filters', async () => {
    const query = 'by=platform&as_of=2026-03-01T00:00:00Z&kind=referral';
    const response = await breakdownCsv(request(`http://localhost/api/v1/breakdown.csv?${query}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="breakdown-by-platform_all-dates_kind-referral_as-of-2026-03-01T0000Z.csv"');
    const [header, ...rows] = parseCsv(await csvText(response));
    expect(header).toEqual(BREAKDOWN_CSV_COLUMNS);
    const api = await (await breakdownJson(request(`http://localhost/api/v1/breakdown?${query}`))).json();
    expect(rows.map((r) => r[0])).toEqual(api.rows.map((r: { key: string }) => r.key));
    const column = (name: string) => header.indexOf(name);
    api.rows.forEach((r: BreakdownRow, i: number) => {
      const row = rows[i];
      const num = (name: string) => (row[column(name)] === '' ? null : Number(row[column(name)]));
      expect([num('referrals'), num('n'), num('actioned'), num('open'), num('open_over_7_days')]).toEqual([r.total, r.n, r.actioned, r.open, r.open_over_7_days]);
      expect([num('removal_rate'), num('removal_rate_lower'), num('removal_rate_upper')]).toEqual([r.removal_rate, r.removal_rate_lower, r.removal_rate_upper]);
      expect([num('km_median_hours'), num('km_median_lower_hours'), num('km_median_upper_hours')]).toEqual([r.km_median, r.km_median_lower, r.km_median_upper]);
      const at24 = r.compliance.find((c) => c.hours === 24)!;
      expect([num('eligible_24h'), num('on_time_24h'), num('compliance_24h'), num('compliance_24h_lower')]).toEqual([at24.eligible, at24.on_time, at24.rate, at24.lower]);
    });
  });

  it('holds the figures computed independently of this code (the shared fixture, by platform)', async () => {
    // The fixture's platforms only: the formula row above lies on a fourth.
    const response = await breakdownCsv(request('http://localhost/api/v1/breakdown.csv?by=platform&as_of=2026-03-01T00:00:00Z&platform=alpha,beta,gamma'));
    const [header, ...rows] = parseCsv(await csvText(response));
    const expected = JSON.parse(readFileSync(FIXTURE_EXPECTED, 'utf8')).breakdown.platform as Record<string, unknown>[];
    expect(rows.map((r) => r[0])).toEqual(expected.map((e) => e.key));
    rows.forEach((row, i) => {
      const cell = (name: string) => {
        const at = header.indexOf(name);
        expect(at, `column ${name}`).toBeGreaterThanOrEqual(0);
        return row[at] === '' ? null : Number(row[at]);
      };
      // The CSV's columns in the fixture's (API.md's) shape; what the CSV
      // leaves out (the curve, p90 among removed) is left out of the expectation.
      const actual = {
        key: row[0],
        total: cell('referrals'), n: cell('n'), actioned: cell('actioned'), declined: cell('declined'), open: cell('open'), excluded: cell('excluded'),
        removal_rate: cell('removal_rate'), km_median: cell('km_median_hours'), km_p90: cell('km_p90_hours'), max_follow_up: cell('max_follow_up_hours'),
        compliance: [1, 24, 168].map((h) => ({ hours: h, eligible: cell(`eligible_${h}h`), on_time: cell(`on_time_${h}h`), rate: cell(`compliance_${h}h`), lower: cell(`compliance_${h}h_lower`), upper: cell(`compliance_${h}h_upper`) })),
        among_removed: { median: cell('removed_median_hours'), mean: cell('removed_mean_hours') },
        time_to_acknowledge: { n: cell('acknowledged'), median: cell('acknowledge_median_hours') },
      };
      const { km: _km, among_removed, time_to_acknowledge, ...rest } = expected[i] as { km: unknown; among_removed: { median: number | null; mean: number | null }; time_to_acknowledge: { n: number; median: number | null } };
      expectFigures(actual, { ...rest, among_removed: { median: among_removed.median, mean: among_removed.mean }, time_to_acknowledge: { n: time_to_acknowledge.n, median: time_to_acknowledge.median } }, `breakdown.csv ${row[0]}`);
    });
  });

  it('answers 400 naming the parameter when by is missing or unknown', async () => {
    for (const query of ['', 'by=colour']) {
      const response = await breakdownCsv(request(`http://localhost/api/v1/breakdown.csv?${query}`));
      expect(response.status).toBe(400);
      expect((await response.json()).error.issues.map((i: { param: string }) => i.param)).toContain('by');
    }
  });
});

describe('GET /briefing.pdf without Chromium', () => {
  it('answers 503 saying how to install it, and links the printable page for the same filters', async () => {
    const before = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const response = await briefingPdf(request('http://localhost/briefing.pdf?as_of=2026-03-01T00:00:00Z&platform=beta'));
      expect(response.status).toBe(503);
      const html = await response.text();
      expect(html).toContain('No Chromium was found at /nonexistent/chromium.');
      expect(html).toContain('apt-get install -y chromium');
      expect(html).toContain('href="/briefing?as_of=2026-03-01T00%3A00%3A00Z&#38;platform=beta"');
    } finally {
      if (before === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = before;
    }
  });

  it('answers 400 in words for filters it cannot read', async () => {
    const response = await briefingPdf(request('http://localhost/briefing.pdf?from=yesterday'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("from: &#39;yesterday&#39; is not a date YYYY-MM-DD");
  });
});
