// The production build, started as the README's first command starts it,
// serving the first page from a real database file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { importFile } from '@/lib/import/import';
import { seedDemo } from '@/lib/demo/seed';
import { FIXTURE_CSV, tempDir } from '../helpers/db';

const DIST = '.next-test';
let server: ChildProcess | undefined;
let demoServer: ChildProcess | undefined;
let base = '';
let demoBase = '';
let output = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`server did not answer at ${url} within ${ms} ms:\n${output}`);
}

beforeAll(async () => {
  const nextBin = path.join('node_modules', 'next', 'dist', 'bin', 'next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { encoding: 'utf8', env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  const dbPath = path.join(tempDir(), 'e2e.db');
  const db = openDatabase(dbPath);
  importFile(db, FIXTURE_CSV);
  db.$client.close();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, NEXT_DIST_DIR: DIST, DATABASE_PATH: dbPath, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (output += d));
  server.stderr!.on('data', (d) => (output += d));
  await waitFor(base, 60_000);

  // A second server on a database made by the demo generator.
  const demoPath = path.join(tempDir(), 'demo.db');
  const demoDb = openDatabase(demoPath);
  seedDemo(demoDb, { rows: 4000, seed: 5 });
  demoDb.$client.close();
  const demoPort = await freePort();
  demoBase = `http://127.0.0.1:${demoPort}`;
  demoServer = spawn(process.execPath, [nextBin, 'start', '-p', String(demoPort), '-H', '127.0.0.1'], {
    env: { ...process.env, NEXT_DIST_DIR: DIST, DATABASE_PATH: demoPath, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demoServer.stdout!.on('data', (d) => (output += d));
  demoServer.stderr!.on('data', (d) => (output += d));
  await waitFor(demoBase, 60_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  demoServer?.kill('SIGTERM');
});

// Debian's Chromium, headless, without the background traffic a closed network refuses.
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = path.join(process.cwd(), 'test-artifacts');
let browser: Browser | undefined;

async function openPage(url: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
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
      rows.map((r) => [r.querySelector('th a')!.textContent!.trim(), r.querySelectorAll('td')[0].textContent, r.querySelectorAll('td')[1].textContent]),
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
      rows.map((r) => [r.querySelector('th')!.textContent!.match(/\(([a-z]+)\)/)![1], r.querySelector('td')!.textContent]),
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
    await select.selectOption(value!);
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
    expect(fs.readFileSync((await svg.path())!, 'utf8')).toMatch(/^<\?xml[^]*<svg[^]*recharts-bar-rectangle/);
    const [csv] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'Download data (CSV)' }).click()]);
    expect(fs.readFileSync((await csv.path())!, 'utf8')).toBe('Value,Code,Referrals\r\naq,aq,5\r\ndaesh,daesh,16\r\njund-al-aqsa,jund-al-aqsa,2\r\nunattributed,unattributed,1\r\n');
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
