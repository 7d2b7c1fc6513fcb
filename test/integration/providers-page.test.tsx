// The providers page, rendered on the server, against the fixture at a fixed as_of.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replaceStore } from '@/db/open';
import ProvidersPage from '@/app/providers/(list)/page';
import { importFile } from '@/lib/import/import';
import { FIXTURE_CSV, memoryDb } from '../helpers/db';
import { textOf } from '../helpers/html';
import { signInPagesAs } from '../helpers/page-auth';

vi.mock('next/headers', async () => (await import('../helpers/page-auth')).headersMock);
vi.mock('next/navigation', () => ({
  useRouter: () => ({ push: () => {} }),
  usePathname: () => '/providers',
  useSearchParams: () => new URLSearchParams(),
}));

const text = textOf;

async function render(searchParams: Record<string, string>): Promise<string> {
  return renderToStaticMarkup(await ProvidersPage({ searchParams: Promise.resolve(searchParams) }));
}

beforeAll(async () => {
  const db = memoryDb();
  await importFile(db, FIXTURE_CSV);
  replaceStore(db);
  await signInPagesAs(db, 'analyst');
});
afterAll(() => {
  replaceStore(undefined);
});

describe('the providers page', () => {
  it('shows the league table with the breakdown figures of the fixture', async () => {
    const page = text(await render({ as_of: '2026-03-01T00:00:00Z' }));
    // alpha (expected.json breakdown): 8 referrals, 71%, KM median 1.5 h, 1 h 50% (19–81%), 24 h 83% (44–97%), 7 days 83% (44–97%).
    expect(page).toContain('alpha + 8 71% 1.5 h');
    expect(page).toContain('50% (19–81%) 83% (44–97%) 83% (44–97%)');
    // beta: 9 referrals, 56%, median 24 h, 1 h 13% (2–47%), 24 h 50% (22–78%), 7 days 63% (31–86%).
    expect(page).toContain('beta + 9 56% 24 h');
    expect(page).toContain('13% (2–47%) 50% (22–78%) 63% (31–86%)');
  });

  it('sorts the league table by a column and says so', async () => {
    const html = await render({ as_of: '2026-03-01T00:00:00Z', sort: 'median', dir: 'asc' });
    const order = [...html.matchAll(/<th scope="row"><a [^>]*>([a-z]+)<\/a>/g)].map((m) => m[1]);
    // KM medians: alpha 1.5 h, beta 24 h, gamma 48 h.
    expect(order).toEqual(['alpha', 'beta', 'gamma']);
    expect(html).toContain('aria-sort="ascending"');
  });

  it('explains a bad sort parameter instead of failing', async () => {
    const page = text(await render({ sort: 'colour' }));
    expect(page).toContain('These filters cannot be read');
    expect(page).toContain('sort');
  });
});
