// The first page, rendered on the server exactly as Next.js would, against a test database.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import HomePage from '@/app/page';
import type { Db } from '@/db/client';
import { seedDemo } from '@/lib/demo/seed';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, memoryDb } from '../helpers/db';

const global = globalThis as unknown as { takedownDb?: Db };

function render(db: Db): string {
  global.takedownDb = db;
  return renderToStaticMarkup(HomePage());
}

afterEach(() => {
  delete global.takedownDb;
});

describe('the first page', () => {
  it('shows an empty state with the import command on an empty database', () => {
    const html = render(memoryDb());
    expect(html).toContain('No referrals yet');
    expect(html).toContain('npm run import -- path/to/referrals.csv');
    expect(html).not.toContain('Synthetic demo data');
  });

  it('shows counts by platform and outcome and the period, without a synthetic label for real data', () => {
    const db = memoryDb();
    importFile(db, FIXTURE_CSV);
    const html = render(db);
    expect(html).toContain('24 referrals and removal orders, referred between 1 Feb 2026 and 28 Feb 2026');
    // beta 9, alpha 8, gamma 7 of 24 (from the fixture).
    expect(html).toMatch(/<td>beta<\/td><td class="num">9<\/td><td class="num">38%<\/td>/);
    expect(html).toMatch(/<td>alpha<\/td><td class="num">8<\/td><td class="num">33%<\/td>/);
    expect(html).toMatch(/<td>Pending \(no outcome yet\)<\/td><td class="num">6<\/td>/);
    expect(html).toMatch(/<td>Removed<\/td><td class="num">14<\/td>/);
    expect(html).not.toContain('Synthetic demo data');
  });

  it('labels the synthetic demo set unmissably', () => {
    const db = memoryDb();
    seedDemo(db, { rows: 2000, seed: 3 });
    const html = render(db);
    expect(html).toContain('<strong>Synthetic demo data.</strong>');
    expect(html).toContain('2,000 referrals and removal orders');
    expect(html).toContain('Vidora');
  });
});
