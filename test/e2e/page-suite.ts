// The page checks against the production build, started as the README's
// first command starts it: every page in Chromium against the JSON API,
// downloads, the briefing and its PDF, faults and an import beside readers.
// The same suite runs on each engine (app.test.ts, app-postgres.test.ts),
// each against its own servers and databases.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@/db/store';
import { importFile } from '@/lib/import/import';
import { seedDemo } from '@/lib/demo/seed';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { formatCount, formatMedian, formatRate } from '@/lib/format';
import { FIXTURE_CSV, tempDir } from '../helpers/db';
import { databaseProblems, sqlRows } from '../helpers/engines';
import { collapse, pdfPageSize, pdfPageTexts, pdfPages } from '../helpers/pdf';
import { authFetch, buildOnce, e2eDatabase, grantE2eAccess, launchBrowser, signedInContext, startServer as startAppServer, type E2eDatabase, type Server } from '../helpers/server';

export function pageSuite(engine: 'sqlite' | 'postgres'): void {
let server: Server | undefined;
let demoServer: Server | undefined;
let base = '';
let demoBase = '';
// Every request of these tests is made as the tests' administrator (access control is tested in access.test.ts).
const fetch = authFetch;
const opened: E2eDatabase[] = [];

/** A new database of the suite's engine, filled by `fill`, with the tests' administrator. */
async function database(name: string, fill: (store: Store) => Promise<unknown>): Promise<E2eDatabase> {
  const made = await e2eDatabase(engine, name);
  opened.push(made);
  await fill(made.store);
  await grantE2eAccess(made.store);
  return made;
}

beforeAll(async () => {
  buildOnce();
  server = await startAppServer(await database('e2e.db', (store) => importFile(store, FIXTURE_CSV)));
  base = server.base;
  // A second server on a database made by the demo generator.
  demoServer = await startAppServer(await database('demo.db', (store) => seedDemo(store, { rows: 4000, seed: 5 })));
  demoBase = demoServer.base;
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), demoServer?.stop()]);
});

const ARTIFACTS = path.join(process.cwd(), 'test-artifacts');
let browser: Browser | undefined;

async function openPage(url: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
  browser ??= await launchBrowser();
  const page = await (await signedInContext(browser, { viewport: { width, height: 900 }, acceptDownloads: true })).newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'networkidle' });
  return { page, errors };
}

async function axeViolations(page: Page): Promise<{ id: string; impact: string; help: string }[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help }));
  });
}

describe('the built app', () => {
  it('serves the first page from the database', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>Overview · Takedown Monitor</title>');
    expect(html).toContain('24<!-- --> referrals and removal orders on record');
    expect(html).toMatch(/<td>gamma<\/td><td class="num">7<\/td>/);
  });

  it('answers 404 for an unknown page, without a stack trace', async () => {
    const res = await fetch(`${base}/no-such-page`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('the overview in Chromium', () => {
  const AS_OF = '2026-03-01T00:00:00Z';

  it('loads without console errors, shows the API figures and passes an accessibility check', async () => {
    const { page, errors } = await openPage(`${base}/?as_of=${AS_OF}`);
    const api = await (await fetch(`${base}/api/v1/summary?as_of=${AS_OF}`)).json();
    const referrals = await page.locator('.headline-card', { hasText: 'Referrals' }).first().locator('.headline-value').textContent();
    expect(referrals).toBe(String(api.total));
    const rate = await page.locator('.headline-card', { hasText: 'Removal rate' }).locator('.headline-value').textContent();
    expect(rate).toBe(`${Math.round(api.removal_rate * 100)}%`);
    // The Kaplan–Meier chart is drawn (an SVG path) in the browser.
    await page.locator('#km-title').scrollIntoViewIfNeeded();
    expect(await page.locator('figure[aria-labelledby="km-title"] svg path.recharts-curve').count()).toBeGreaterThan(0);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'overview.png'), fullPage: true });
    const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the data table behind a chart equals the API, and clicking a bar filters by it', async () => {
    const { page, errors } = await openPage(`${base}/?as_of=${AS_OF}`);
    const api = await (await fetch(`${base}/api/v1/volumes?by=group&as_of=${AS_OF}`)).json();
    const figure = page.locator('figure[aria-labelledby="by-group-title"]');
    await figure.locator('summary').click();
    const cells = await figure.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(cells).toEqual(api.rows.map((r: { name: string; key: string; count: number }) => [r.name, r.key, r.count.toLocaleString('en-GB')]));
    // Click the bar of the group with most referrals (daesh, 16).
    await figure.locator('.recharts-bar-rectangle').nth(api.rows.findIndex((r: { key: string }) => r.key === 'daesh')).click();
    await page.waitForURL(/group=daesh/);
    await page.waitForFunction(() => document.querySelector('.headline-value')?.textContent === '16');
    expect(await page.locator('.headline-value').first().textContent()).toBe('16');
    // The active filter shows as a chip; removing it goes back to all 24.
    await page.getByRole('button', { name: /Remove filter Group: daesh/ }).click();
    await page.waitForFunction(() => document.querySelector('.headline-value')?.textContent === '24');
    expect(page.url()).not.toMatch(/group=/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a filter chosen in the filter bar goes into the URL and changes the figures', async () => {
    const { page, errors } = await openPage(`${base}/?as_of=${AS_OF}`);
    await page.getByRole('button', { name: 'More filters' }).click();
    await page.getByLabel('Kind', { exact: true }).selectOption('removal_order');
    await page.waitForURL(/kind=removal_order/);
    await page.waitForFunction(() => document.querySelector('.headline-value')?.textContent === '7');
    const api = await (await fetch(`${base}/api/v1/summary?as_of=${AS_OF}&kind=removal_order`)).json();
    expect(await page.locator('.headline-value').first().textContent()).toBe(String(api.total));
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the providers page in Chromium', () => {
  const AS_OF = '2026-03-01T00:00:00Z';

  it('loads without console errors, its league table equals the API, and passes an accessibility check', async () => {
    const { page, errors } = await openPage(`${base}/providers?as_of=${AS_OF}`);
    const api = await (await fetch(`${base}/api/v1/breakdown?by=platform&as_of=${AS_OF}`)).json();
    const table = await page.locator('table.league tbody tr').evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('th a')!.textContent.trim(), r.querySelectorAll('td')[0].textContent, r.querySelectorAll('td')[1].textContent]),
    );
    const expected = [...api.rows]
      .sort((a: { total: number }, b: { total: number }) => b.total - a.total)
      .map((r: { name: string; total: number; removal_rate: number }) => [r.name, String(r.total), `${Math.round(r.removal_rate * 100)}%`]);
    expect(table).toEqual(expected);
    expect(await page.locator('figure[aria-labelledby="km-providers-title"] svg path.recharts-curve').count()).toBeGreaterThan(0);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'providers.png'), fullPage: true });
    const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a click on a provider in the league table filters by it', async () => {
    const { page, errors } = await openPage(`${base}/providers?as_of=${AS_OF}`);
    await page.getByRole('link', { name: 'Filter by gamma' }).click();
    await page.waitForURL(/platform=gamma/);
    await page.getByRole('button', { name: /Remove filter Platform: gamma/ }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the records page in Chromium', () => {
  it('lists the records of the filters with their count, sorts them, and its CSV download has the same rows', async () => {
    const AS_OF = '2026-03-01T00:00:00Z';
    const { page, errors } = await openPage(`${base}/records?as_of=${AS_OF}&platform=beta`);
    const api = await (await fetch(`${base}/api/v1/referrals?as_of=${AS_OF}&platform=beta&page_size=500`)).json();
    expect(await page.getByRole('status').textContent()).toContain(`${api.total} referrals`);
    const ids = await page.locator('table.records tbody th').allTextContents();
    expect(ids).toEqual(api.rows.map((r: { referral_id: string }) => r.referral_id));
    await page.getByRole('link', { name: /^Referral$/ }).click();
    await page.waitForURL(/sort=referral_id/);
    await page.waitForFunction(() => document.querySelector('table.records tbody th')?.textContent === 'FX-009');
    const href = await page.getByRole('link', { name: /Download all 9 as CSV/ }).getAttribute('href');
    const csv = await (await fetch(`${base}${href}`)).text();
    expect(csv.trim().split('\r\n').slice(1).map((l) => l.split(',')[0])).toEqual(['FX-009', 'FX-010', 'FX-011', 'FX-012', 'FX-013', 'FX-014', 'FX-015', 'FX-016', 'FX-017']);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'records.png'), fullPage: true });
    const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a provider profile in Chromium', () => {
  const AS_OF = '2026-03-01T00:00:00Z';

  it('shows the provider\'s figures as the API gives them, its oldest open items, and passes an accessibility check', async () => {
    const { page, errors } = await openPage(`${base}/providers?as_of=${AS_OF}`);
    await page.getByRole('link', { name: 'beta', exact: true }).click();
    await page.waitForURL(/\/providers\/beta\?/);
    await page.locator('h1', { hasText: 'beta' }).waitFor();
    const api = await (await fetch(`${base}/api/v1/summary?as_of=${AS_OF}&platform=beta`)).json();
    expect(await page.locator('.headline-card', { hasText: 'Referrals' }).first().locator('.headline-value').textContent()).toBe(String(api.total));
    expect(await page.locator('.headline-card', { hasText: 'Removal rate' }).locator('.headline-value').textContent()).toBe(
      `${Math.round(api.removal_rate * 100)}%`,
    );
    // Open at 1 March on beta: FX-012 (5 Feb), FX-014 (15 Feb), FX-017 (order received 28 Feb 23:45), oldest first.
    expect(await page.locator('table.records tbody th').allTextContents()).toEqual(['FX-012', 'FX-014', 'FX-017']);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'provider-profile.png'), fullPage: true });
    const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers 404 for a provider that does not exist', async () => {
    const res = await fetch(`${base}/providers/no-such-provider`);
    expect(res.status).toBe(404);
  });
});

describe('the groups pages in Chromium', () => {
  const AS_OF = '2026-03-01T00:00:00Z';

  it('show the group × platform matrix of the API, a group page, and pass an accessibility check', async () => {
    const { page, errors } = await openPage(`${base}/groups?as_of=${AS_OF}`);
    const api = await (await fetch(`${base}/api/v1/matrix?rows=group&columns=platform&as_of=${AS_OF}`)).json();
    const daesh = await page.locator('#groups-by-platform tbody tr', { hasText: 'daesh' }).locator('td').allTextContents();
    const expected = api.rows.find((r: { key: string }) => r.key === 'daesh');
    expect(daesh).toEqual([...expected.counts.map(String), String(expected.total)]);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'groups.png'), fullPage: true });
    expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.locator('#groups-by-platform tbody th a', { hasText: 'daesh' }).click();
    await page.waitForURL(/\/groups\/daesh/);
    await page.locator('h1', { hasText: 'daesh' }).waitFor();
    // h1 and h2: hashes seen on several platforms among daesh content.
    expect(await page.locator('#spread ~ div table tbody th').allTextContents()).toEqual(['h1', 'h2']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'group.png'), fullPage: true });
    expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the campaigns pages in Chromium', () => {
  it('list the campaign with its items, units, languages, platforms and removals within 48 hours and 7 days', async () => {
    const { page, errors } = await openPage(`${base}/campaigns?as_of=2026-03-01T00:00:00Z`);
    // rad-feb: FX-018 to FX-024, units eu-iru and be, languages ar, tr, und, zxx, all on gamma.
    // Within 48 h: 4 removed of 7 eligible (FX-020, 021, 023 open at least 48 h); within 7 days: 4 of 4 (no item open that long).
    const cells = await page.locator('tbody tr', { hasText: 'rad-feb' }).locator('td').allTextContents();
    expect(cells.slice(1)).toEqual(['7', '2', '4', '1', '57% (25–84%)', '100% (51–100%)']);
    expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.getByRole('link', { name: 'rad-feb' }).click();
    await page.waitForURL(/\/campaigns\/rad-feb/);
    await page.locator('h1', { hasText: 'rad-feb' }).waitFor();
    expect(await page.locator('.headline-card', { hasText: 'Items referred' }).locator('.headline-value').textContent()).toBe('7');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaign.png'), fullPage: true });
    expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the languages page in Chromium', () => {
  it('shows each language with the figures of the API and passes an accessibility check', async () => {
    const AS_OF = '2026-03-01T00:00:00Z';
    const { page, errors } = await openPage(`${base}/languages?as_of=${AS_OF}`);
    const api = await (await fetch(`${base}/api/v1/breakdown?by=language&as_of=${AS_OF}`)).json();
    const totals = await page.locator('table[aria-labelledby="language-speed"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('th')!.textContent.match(/\(([a-z]+)\)/)![1], r.querySelector('td')!.textContent]),
    );
    expect(Object.fromEntries(totals)).toEqual(Object.fromEntries(api.rows.map((r: { key: string; total: number }) => [r.key, String(r.total)])));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'languages.png'), fullPage: true });
    expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('every filter of the filter bar', () => {
  const AS_OF = '2026-03-01T00:00:00Z';
  const dimensions: [string, string][] = [
    ['Platform', 'platform'],
    ['Platform type', 'platform_type'],
    ['Group', 'group'],
    ['Ideology', 'ideology'],
    ['Language', 'language'],
    ['Content type', 'content_type'],
    ['Referring unit', 'unit'],
    ['Campaign', 'campaign'],
    ['Kind', 'kind'],
  ];

  it.each(dimensions)('%s goes into the URL and the figures follow the API', async (label, param) => {
    const { page, errors } = await openPage(`${base}/?as_of=${AS_OF}`);
    await page.getByRole('button', { name: 'More filters' }).click();
    const select = page.getByLabel(label, { exact: true });
    const value = await select.locator('option').last().getAttribute('value');
    await select.selectOption(value);
    await page.waitForURL(new RegExp(`${param}=${value}`));
    const api = await (await fetch(`${base}/api/v1/summary?as_of=${AS_OF}&${param}=${value}`)).json();
    await page.waitForFunction((total) => document.querySelector('.headline-value')?.textContent === String(total), api.total);
    expect(await page.locator('.headline-value').first().textContent()).toBe(String(api.total));
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('downloads behind a chart', () => {
  it('give the chart as SVG and its data table as CSV', async () => {
    const { page, errors } = await openPage(`${base}/?as_of=2026-03-01T00:00:00Z`);
    const figure = page.locator('figure[aria-labelledby="by-group-title"]');
    const [svg] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'Download chart (SVG)' }).click()]);
    expect(svg.suggestedFilename()).toBe('by-group.svg');
    expect(fs.readFileSync(await svg.path(), 'utf8')).toMatch(/^<\?xml[^]*<svg[^]*recharts-bar-rectangle/);
    const [csv] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'Download data (CSV)' }).click()]);
    expect(fs.readFileSync(await csv.path(), 'utf8')).toBe('\ufeffValue,Code,Referrals\r\naq,aq,5\r\ndaesh,daesh,16\r\njund-al-aqsa,jund-al-aqsa,2\r\nunattributed,unattributed,1\r\n');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('every page on a demo-generator database', () => {
  const pages = [
    ['overview', '/'],
    ['overview-by-outcome', '/?stack=outcome&from=2026-01-01&to=2026-10-31'],
    ['providers', '/providers'],
    ['provider', '/providers/vidora'],
    ['groups', '/groups'],
    ['group', '/groups/daesh'],
    ['languages', '/languages'],
    ['campaigns', '/campaigns'],
    ['campaign', '/campaigns/rad-2025-06'],
    ['records', '/records'],
    ['orders', '/orders'],
    ['transparency', '/reports/transparency'],
    ['about', '/about'],
  ];

  it.each(pages)('%s loads without console errors, says the data are synthetic, passes axe, and fits 768 px', async (name, url) => {
    const { page, errors } = await openPage(demoBase + url);
    expect(await page.getByText('Synthetic demo data.').count()).toBe(1);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `demo-${name}.png`), fullPage: true });
    expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.setViewportSize({ width: 768, height: 900 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the briefing, printed and as PDF', () => {
  const AS_OF = '2026-03-01T00:00:00Z';
  const QUERY = `as_of=${AS_OF}&from=2026-01-01&to=2026-02-28&kind=referral,removal_order`;
  const pdfFile = (name: string) => path.join(tempDir(), name);

  async function downloadPdf(url: string, file: string): Promise<Response> {
    const res = await fetch(url);
    if (res.status === 200) fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return res;
  }

  /** Every table (header and rows) and chart (caption and axis label) of the briefing, in document order. */
  async function printedBlocks(url: string) {
    const { page, errors } = await openPage(url);
    await page.waitForSelector('html[data-briefing-ready="true"]', { state: 'attached', timeout: 30_000 });
    const blocks = await page.evaluate(() =>
      [...document.querySelectorAll('article.briefing table, article.briefing figure')].map((el) =>
        el.tagName === 'TABLE'
          ? {
              kind: 'table' as const,
              header: [...el.querySelectorAll('thead th')].map((th) => th.textContent ?? ''),
              rows: [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
            }
          : {
              kind: 'chart' as const,
              caption: el.querySelector('figcaption')?.textContent ?? '',
              axis: [...el.querySelectorAll('.recharts-label')].map((l) => l.textContent ?? '').filter((t) => t.length > 12),
            },
      ),
    );
    return { page, errors, blocks };
  }

  // pdftotext joins "< 5" into "<5" (a narrow space): compare without it.
  const words = (text: string) => text.replace(/<\s+/g, '<').split(/\s+/).filter(Boolean);

  /**
   * No row and no chart is cut across pages, and table headers repeat on
   * every page a table reaches. Blocks are found in document order, each on
   * the first page from the previous block's on that holds it: a row as one
   * line of text (or, where a cell wraps, all its words on the page).
   */
  function expectNothingCut(file: string, blocks: Awaited<ReturnType<typeof printedBlocks>>['blocks'], expectedCharts: number) {
    const texts = pdfPageTexts(file);
    const pages = texts.map((t) => new Set(words(t)));
    const lines = texts.map((t) => t.split('\n').map((l) => words(l).join(' ')));
    const holds = (p: number, parts: string[]) => parts.flatMap(words).every((w) => pages[p].has(w));
    const firstFrom = (from: number, parts: string[]) => {
      for (let p = from; p < pages.length; p++) if (holds(p, parts)) return p;
      return -1;
    };
    const rowPage = (from: number, row: string[]) => {
      const line = words(row.join(' ')).join(' ');
      for (let p = from; p < pages.length; p++) if (lines[p].some((l) => l.includes(line))) return p;
      return firstFrom(from, row);
    };
    let cursor = 0;
    let rows = 0;
    let charts = 0;
    for (const block of blocks) {
      if (block.kind === 'table') {
        for (const row of block.rows) {
          const p = rowPage(cursor, row);
          expect(p, `row "${row.join(' | ')}" is not whole on any page from ${cursor + 1} on`).toBeGreaterThanOrEqual(0);
          expect(holds(p, block.header), `header "${block.header.join(' | ')}" missing on page ${p + 1}`).toBe(true);
          cursor = p;
          rows++;
        }
      } else {
        expect(block.axis.length).toBe(1);
        // The caption opens the chart and the axis label closes it: on one page, the chart is whole.
        const top = firstFrom(cursor, [words(block.caption).slice(0, 8).join(' ')]);
        const bottom = firstFrom(cursor, block.axis);
        expect(top, `chart "${block.caption.slice(0, 60)}…"`).toBeGreaterThanOrEqual(0);
        expect(bottom, `chart "${block.caption.slice(0, 60)}…" is cut`).toBe(top);
        cursor = top;
        charts++;
      }
    }
    expect(rows).toBeGreaterThan(10);
    expect(charts).toBe(expectedCharts);
  }

  it('downloads as an A4 PDF whose text has the filters in words, as_of, and the league table of the API, small cells suppressed', async () => {
    const file = pdfFile('fixture-briefing.pdf');
    const res = await downloadPdf(`${base}/briefing.pdf?${QUERY}`, file);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="briefing_2026-01-01-to-2026-02-28_kind-referral+removal_order_as-of-2026-03-01T0000Z.pdf"');
    expect(pdfPageSize(file)).toMatch(/^59[45]\.\d+ x 841\.\d+ pts \(A4\)$/);
    expect(pdfPages(file)).toBeGreaterThanOrEqual(3);
    expect(pdfPages(file)).toBeLessThanOrEqual(8);
    const text = collapse(pdfPageTexts(file).join('\n'));
    expect(text).toContain('Referred from 1 Jan 2026 to 28 Feb 2026');
    expect(text).toContain('Kind: Referral, Removal order');
    expect(text).toContain('As of 1 Mar 2026, 00:00 UTC');
    expect(text).toContain('Page 1 of');
    expect(text).not.toContain('Synthetic demo data');
    // The league table: every provider's line, in the API's figures.
    const api = await (await fetch(`${base}/api/v1/breakdown?by=platform&${QUERY}`)).json();
    expect(api.rows.map((r: { key: string }) => r.key)).toEqual(['alpha', 'beta', 'gamma']);
    const lines = pdfPageTexts(file)
      .flatMap((t) => t.split('\n'))
      .map((l) => collapse(l).replace(/<\s+/g, '<'));
    for (const r of api.rows) {
      const at = (h: number) => r.compliance.find((c: { hours: number }) => c.hours === h);
      const cells = [
        r.name,
        formatCount(r.total),
        r.n < 5 ? 'not shown' : formatRate(r.removal_rate, r.removal_rate_lower, r.removal_rate_upper),
        r.n < 5 ? 'not shown' : formatMedian(r.km_median, r.max_follow_up),
        ...[1, 24, 168].map((h) => (at(h).eligible < 5 ? 'not shown' : formatRate(at(h).rate, at(h).lower, at(h).upper))),
        r.open_over_7_days < 5 ? '<5' : formatCount(r.open_over_7_days),
      ];
      expect(lines, `league line of ${r.name}`).toContain(cells.join(' '));
    }
    // Worked by hand from the fixture: gamma has 4 referrals old enough for the 7-day deadline (all on time: 100%),
    // beta 2 still online after 7 days: both fewer than 5, so neither the rate nor the count is printed.
    expect(lines).toContain('gamma 7 57% (25–84%) 2 days 14% (3–51%) 43% (16–75%) not shown <5');
    expect(lines.find((l) => l.startsWith('beta 9 '))).toMatch(/ <5$/);
  });

  it('prints every table row and chart whole on a page, with table headers repeated, on the fixture and on demo data', async () => {
    for (const [name, origin] of [
      ['fixture', base],
      ['demo', demoBase],
    ]) {
      const { page, errors, blocks } = await printedBlocks(`${origin}/briefing?${name === 'fixture' ? QUERY : 'as_of=2026-11-01T00:00:00Z'}`);
      expect(errors).toEqual([]);
      if (name === 'demo') {
        expect(await page.locator('article.briefing').getByText('Synthetic demo data.').isVisible()).toBe(true);
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, 'demo-briefing.png'), fullPage: true });
        expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      }
      await page.close();
      const file = pdfFile(`${name}-print.pdf`);
      expect((await downloadPdf(`${origin}/briefing.pdf?${name === 'fixture' ? QUERY : 'as_of=2026-11-01T00:00:00Z'}`, file)).status).toBe(200);
      if (name === 'demo') {
        expect(pdfPages(file)).toBeGreaterThanOrEqual(4);
        expect(collapse(pdfPageTexts(file)[0])).toContain('Synthetic demo data.');
      }
      // The fixture has too few removal orders per provider for the bars of one-hour compliance.
      expectNothingCut(file, blocks, name === 'fixture' ? 1 : 2);
    }
  });

  it('is offered for the current filters on the dashboard and provider pages, without their own parameters', async () => {
    const { page } = await openPage(`${base}/providers?${QUERY}&sort=name&dir=asc`);
    const href = await page.getByRole('link', { name: 'Download briefing (PDF)' }).getAttribute('href');
    expect(href).toBe(`/briefing.pdf?${new URLSearchParams(QUERY)}`);
    await page.close();
    const profile = await openPage(`${base}/providers/beta?as_of=${AS_OF}`);
    expect(await profile.page.getByRole('link', { name: 'Download briefing (PDF)' }).getAttribute('href')).toBe(
      `/briefing.pdf?as_of=${encodeURIComponent(AS_OF)}&platform=beta`,
    );
    const [download] = await Promise.all([profile.page.waitForEvent('download'), profile.page.getByRole('link', { name: 'Download briefing (PDF)' }).click()]);
    expect(download.suggestedFilename()).toBe('briefing_all-dates_platform-beta_as-of-2026-03-01T0000Z.pdf');
    await profile.page.close();
  });
});

describe('removal orders and the transparency report in Chromium', () => {
  const AS_OF = '2026-03-01T00:00:00Z';

  it('the orders page shows the figures of the JSON API without console errors', async () => {
    const { page, errors } = await openPage(`${base}/orders?as_of=${AS_OF}`);
    const api = await (await fetch(`${base}/api/v1/orders?as_of=${AS_OF}`)).json();
    expect(await page.locator('.headline-card', { hasText: 'Removal orders' }).locator('.headline-value').textContent()).toBe(String(api.orders));
    const bands = await page.locator('#orders-bands-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c as HTMLElement).dataset.value ?? c.textContent)));
    expect(bands.map((b) => [b[0], Number(b[1])])).toEqual(api.bands.map((b: { label: string; count: number }) => [b.label, b.count]));
    const reasons = await page.locator('#not-executed-table tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td')!.textContent));
    expect(reasons).toEqual(api.not_executed.map((r: { count: number }) => String(r.count)));
    expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the transparency report shows the JSON figures, its counts open the matching records, and it downloads as PDF', async () => {
    const { page, errors } = await openPage(`${base}/reports/transparency?year=2026&as_of=${AS_OF}`);
    const api = await (await fetch(`${base}/api/v1/transparency?year=2026&as_of=${AS_OF}`)).json();
    for (const figure of ['issued', 'removed_or_disabled', 'not_executed', 'still_open', 'already_unavailable']) {
      expect(await page.locator(`[data-figure="${figure}"]`).textContent(), figure).toBe(String(api.removal_orders[figure].count));
    }
    const units = await page.locator('#by-unit-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent)));
    expect(units).toEqual(api.by_unit.map((u: { name: string } & Record<string, { count: number }>) => [u.name, ...['issued', 'removed_or_disabled', 'not_executed', 'still_open', 'already_unavailable'].map((k) => String(u[k].count))]));
    expect(errors).toEqual([]);
    // The count of orders issued opens the records view showing exactly that many.
    await page.locator('[data-figure="issued"] a').click();
    await page.waitForURL(/\/records\?/);
    await page.getByText(/referrals; showing/).waitFor();
    expect(await page.getByText(/referrals; showing/).textContent()).toContain(`${api.removal_orders.issued.count} referrals`);
    await page.close();
    const file = path.join(tempDir(), 'transparency.pdf');
    const res = await fetch(`${base}/reports/transparency.pdf?year=2026&as_of=${AS_OF}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="transparency-report_2026-01-01-to-2026-12-31_as-of-2026-03-01T0000Z.pdf"');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    expect(collapse(pdfPageTexts(file).join(' '))).toContain('Transparency report 2026: removal orders and referrals');
  });

  it('answer 400 for a transparency report without a year, or with from and to', async () => {
    expect((await fetch(`${base}/api/v1/transparency`)).status).toBe(400);
    const res = await fetch(`${base}/api/v1/transparency?year=2026&from=2026-01-01`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues[0]).toEqual({ param: 'from', message: 'the year sets the period: leave out from and to' });
  });
});

describe('faults at the database', () => {
  it.runIf(engine === 'sqlite')('a corrupt file at DATABASE_PATH: the app starts and refuses in words (page and API), no crash loop', async () => {
    const garbage = path.join(tempDir(), 'garbage.db');
    fs.writeFileSync(garbage, Buffer.alloc(16384, 7));
    const broken = await startAppServer(garbage);
    try {
      const page = await fetch(`${broken.base}/`);
      const html = await page.text();
      expect(html).toContain('The database cannot be used');
      expect(html).toContain('the file is not a SQLite database (or is encrypted or corrupt).');
      expect(html).not.toMatch(/at [A-Za-z]+ \(.*:\d+:\d+\)/);
      const api = await fetch(`${broken.base}/api/v1/summary`);
      expect(api.status).toBe(503);
      expect((await api.json()).error.message).toMatch(/^Cannot open the database at .*garbage\.db: the file is not a SQLite database/);
      // Still up a moment later: no crash loop.
      expect((await fetch(`${broken.base}/about`)).status).toBe(200);
      expect(broken.process.exitCode).toBeNull();
      expect(fs.readFileSync(garbage).equals(Buffer.alloc(16384, 7))).toBe(true);
    } finally {
      await broken.stop();
    }
  });

  it.runIf(engine === 'postgres')('a database without its latest migration: the app starts and refuses in words (page and API), no crash loop, nothing written', async () => {
    const made = await database('unmigrated', (store) => importFile(store, FIXTURE_CSV));
    await sqlRows(made.store, 'DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)');
    const audit = await sqlRows(made.store, 'SELECT count(*) AS n FROM audit_log');
    const broken = await startAppServer(made);
    try {
      const html = await (await fetch(`${broken.base}/`)).text();
      expect(html).toContain('The database cannot be used');
      expect(html).toMatch(/lacks migration 0003_records_order: run npm run db:migrate, then restart the app servers\./);
      expect(html).not.toMatch(/at [A-Za-z]+ \(.*:\d+:\d+\)/);
      const api = await fetch(`${broken.base}/api/v1/summary`);
      expect(api.status).toBe(503);
      expect((await api.json()).error.message).toMatch(/lacks migration 0003_records_order/);
      expect((await fetch(`${broken.base}/about`)).status).toBe(200);
      expect(broken.process.exitCode).toBeNull();
      expect(await sqlRows(made.store, 'SELECT count(*) AS n FROM audit_log')).toEqual(audit);
    } finally {
      await broken.stop();
    }
  });

  it('a server killed (with its import) in the middle of requests and of an upload: the database passes its checks, holds the batch whole or not at all, and a restarted server serves its figures', async () => {
    const made = await database('killed.db', (store) => importFile(store, FIXTURE_CSV));
    const first = await startAppServer(made);
    const batch = path.join(tempDir(), 'killed-batch.csv');
    writeDemoCsv(batch, { rows: 60_000, seed: 21 });
    const summary = '/api/v1/summary?as_of=2026-11-01T00:00:00Z';
    const before = await (await fetch(first.base + summary)).json();
    expect(before.total).toBe(24);
    // The upload is answered when its import ends; the server and its import die before, somewhere in the upload or the import.
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(batch)], { type: 'text/csv' }), 'killed-batch.csv');
    const upload = fetch(`${first.base}/api/v1/imports`, { method: 'POST', headers: { Accept: 'application/json', Origin: first.base }, body: form }).catch(() => null);
    const inFlight = Array.from({ length: 8 }, () => fetch(`${first.base}/providers?as_of=2026-11-01T00:00:00Z`).catch(() => null));
    // Once the server has started its import job, somewhere within the next four seconds (start-up, parse, COPY, merge, commit or after it).
    const until = Date.now() + 30_000;
    while (!descendants(first.process.pid!).some((p) => commandLine(p).includes('import-job.ts')) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Date.now()).toBeLessThan(until);
    const delay = Math.round(4000 * Math.random());
    await new Promise((resolve) => setTimeout(resolve, delay));
    const killed = killTree(first.process.pid!);
    await Promise.all([upload, ...inFlight]);
    if (first.process.exitCode === null && first.process.signalCode === null) await new Promise((resolve) => first.process.once('exit', resolve));
    await waitGone(killed);
    expect(await databaseProblems(made.store)).toEqual([]);
    const [{ referrals, history }] = await sqlRows(made.store, 'SELECT (SELECT count(*) FROM referrals) AS referrals, (SELECT count(*) FROM referral_history) AS history');
    const committed = await sqlRows(made.store, "SELECT rows, inserted FROM import_batches WHERE status = 'committed' ORDER BY id");
    console.log(`${engine}: server and import killed ${delay} ms into the import job (${killed.length} processes): the batch ${Number(referrals) === 24 ? 'absent' : 'present'}`);
    expect([24, 60_024]).toContain(Number(referrals));
    expect(Number(history)).toBe(0);
    expect(committed).toEqual(Number(referrals) === 24 ? [{ rows: 24, inserted: 24 }] : [{ rows: 24, inserted: 24 }, { rows: 60_000, inserted: 60_000 }]);
    const again = await startAppServer(made);
    try {
      const after = await (await fetch(again.base + summary)).json();
      expect(after.total).toBe(Number(referrals));
      if (Number(referrals) === 24) expect(after).toEqual(before);
      expect((await fetch(`${again.base}/providers`)).status).toBe(200);
      // Nothing of the killed import is held: the same file goes in now, whole.
      expect((await importFile(made.store, batch)).status).toBe('committed');
      expect(Number((await sqlRows(made.store, 'SELECT count(*) AS n FROM referrals'))[0].n)).toBe(60_024);
    } finally {
      await again.stop();
    }
  }, 180_000);
});

describe('imports and readers', () => {
  it('pages and the API keep answering while a large import runs in another process; after its commit they answer from the version before it, saying so, until the new one is read', async () => {
    const made = await database('busy.db', (store) => importFile(store, FIXTURE_CSV));
    const app = await startAppServer(made);
    const batch = path.join(tempDir(), 'batch.csv');
    writeDemoCsv(batch, { rows: 60_000, seed: 12 });
    try {
      const summary = `${app.base}/api/v1/summary`;
      expect((await (await fetch(summary)).json()).total).toBe(24);
      const importer = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'import.ts'), batch], {
        env: { ...process.env, ...made.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let importOutput = '';
      importer.stdout.on('data', (d) => (importOutput += d));
      importer.stderr.on('data', (d) => (importOutput += d));
      const done = new Promise<number | null>((resolve) => importer.once('exit', resolve));
      let finished = false;
      void done.then(() => (finished = true));
      const statuses: number[] = [];
      const totals: number[] = [];
      while (!finished) {
        const [page, api] = await Promise.all([fetch(`${app.base}/providers`), fetch(summary)]);
        await page.text();
        statuses.push(page.status, api.status);
        totals.push((await api.json()).total);
      }
      expect(await done, importOutput).toBe(0);
      expect(statuses.length).toBeGreaterThan(4);
      expect(new Set(statuses)).toEqual(new Set([200]));
      // Before the commit the readers saw the old data, never a part of the batch.
      expect(totals.every((t) => t === 24 || t === 60_024)).toBe(true);
      // The import changed far more rows than the server holds: everything is read again, in the background. Meanwhile
      // answers come from the version before it and say so; the new figures follow within seconds.
      const started = Date.now();
      let answer = await (await fetch(summary)).json();
      while (answer.total !== 60_024 && Date.now() - started < 20_000) {
        expect([answer.total, answer.data.newer_version_pending]).toEqual([24, true]);
        await new Promise((r) => setTimeout(r, 100));
        answer = await (await fetch(summary)).json();
      }
      expect([answer.total, answer.data.newer_version_pending]).toEqual([60_024, false]);
      expect(answer.data.import).toBeGreaterThan(1);
    } finally {
      await app.stop();
    }
  }, 180_000);
});

afterAll(async () => {
  await Promise.allSettled(opened.map((made) => made.store.close()));
});
}

/** A process and every process under it. */
function descendants(pid: number): number[] {
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  return [pid, ...children.flatMap(descendants)];
}

/** The command line of a process ('' once it is gone). */
function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Kills a process and every process under it with SIGKILL, as a machine that dies would; their pids. */
function killTree(pid: number): number[] {
  const all = descendants(pid);
  for (const p of all) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  return all;
}

async function waitGone(pids: number[]): Promise<void> {
  const alive = (p: number) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}
