// The overview page, rendered on the server as Next.js would, against a test database.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { replaceStore } from '@/db/open';
import RootLayout from '@/app/layout';
import OverviewPage from '@/app/(overview)/page';
import type { SqliteStore } from '@/db/sqlite/store';
import { seedDemo } from '@/lib/demo/seed';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, memoryDb } from '../helpers/db';
import { textOf } from '../helpers/html';
import { signInPagesAs } from '../helpers/page-auth';

vi.mock('next/server', () => ({ connection: async () => {} }));
vi.mock('next/headers', async () => (await import('../helpers/page-auth')).headersMock);
vi.mock('next/navigation', () => ({
  useRouter: () => ({ push: () => {} }),
  usePathname: () => '/',
  useSearchParams: () => new URLSearchParams(),
}));


async function render(db: SqliteStore, searchParams: Record<string, string> = {}): Promise<string> {
  replaceStore(db);
  await signInPagesAs(db, 'analyst');
  return renderToStaticMarkup(await OverviewPage({ searchParams: Promise.resolve(searchParams) }));
}

afterEach(() => {
  replaceStore(undefined);
});

const text = textOf;

describe('the overview page', () => {
  it('shows an empty state with the import command on an empty database', async () => {
    const html = await render(memoryDb());
    expect(html).toContain('No referrals yet');
    expect(html).toContain('npm run import -- path/to/referrals.csv');
    expect(html).not.toContain('Synthetic demo data');
  });

  it('shows the headline figures of lib/metrics for the fixture at a fixed as_of', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    const page = text(await render(db, { as_of: '2026-03-01T00:00:00Z' }));
    // Fixture: 24 referrals, 1 unavailable; 14 of 23 actioned (61%); KM median 24 h;
    // removal orders 4 of 6 within the hour, 67% (30–90%); 12 of 21 within 24 h, 57% (37–76%);
    // open 7 days or more at 1 March: FX-012 (24 days) and FX-014 (14 days).
    expect(page).toContain('Referrals 24 1 already unavailable');
    expect(page).toContain('Removal rate (snapshot) 61% 14 of 23 removed or disabled');
    expect(page).toContain('Median time to removal 24 h');
    expect(page).toContain('Removal orders executed within 1 hour 67% (30–90%) 4 of 6 orders at least 1 hour old');
    expect(page).toContain('Removed within 24 hours 57% (37–76%) 12 of 21 referrals at least 24 hours old');
    expect(page).toContain('Still online after 7 days 2');
    expect(page).toContain('as of 1 Mar 2026, 00:00 UTC');
  });

  it('compares with the previous period when one is chosen', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    const page = text(await render(db, { as_of: '2026-03-01T00:00:00Z', from: '2026-02-15', to: '2026-02-28' }));
    // 13 referrals from 15 to 28 Feb against 11 from 1 to 14 Feb: +18%.
    expect(page).toContain('Referrals 13');
    expect(page).toContain('+18% on the previous period');
  });

  it('keeps the record of what the database holds', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    const html = await render(db);
    expect(html).toContain('24 referrals and removal orders on record, referred between 1 Feb 2026 and 28 Feb 2026');
    // Which engine serves (the database status): here the embedded file.
    expect(textOf(html)).toContain('Served from the embedded SQLite database file.');
    expect(html).toMatch(/<td>beta<\/td><td class="num">9<\/td><td class="num">38%<\/td>/);
    expect(html).toMatch(/<td>Removed<\/td><td class="num">14<\/td>/);
  });

  it('explains unreadable filters instead of failing', async () => {
    const db = memoryDb();
    await importFile(db, FIXTURE_CSV);
    const page = text(await render(db, { kind: 'order', from: 'yesterday' }));
    expect(page).toContain('These filters cannot be read');
    expect(page).toContain("kind : 'order' must be one of referral, removal_order");
    expect(page).toContain("from : 'yesterday' is not a date YYYY-MM-DD");
  });

  it('labels the synthetic demo set unmissably, on every page (the layout)', async () => {
    const db = memoryDb();
    await seedDemo(db, { rows: 2000, seed: 3 });
    const page = await render(db);
    expect(page).toContain('Vidora');
    const layout = renderToStaticMarkup(await RootLayout({ children: null }));
    expect(layout).toContain('<strong>Synthetic demo data.</strong>');
    replaceStore(memoryDb());
    expect(renderToStaticMarkup(await RootLayout({ children: null }))).not.toContain('Synthetic demo data');
  });
});
