import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SiteNav } from '@/components/layout/site-nav';
import { SyntheticBanner } from '@/components/layout/synthetic-banner';
import { getStore } from '@/db/open';
import { StoreOpenError, type Store } from '@/db/store';
import { isSyntheticDataset } from '@/lib/database-status';
import { currentFacts } from '@/lib/metrics/fact-store';
import { dataOf } from '@/lib/sources';
import { DataFooter } from '@/components/layout/data-footer';
import { NAV_PAGES } from '@/components/layout/nav-pages';
import { currentPrincipal } from '@/lib/auth/dal';
import { ROLE_WORDS, roleHas } from '@/lib/auth/roles';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Takedown Monitor', template: '%s · Takedown Monitor' },
  description: 'How online platforms handle referrals and removal orders of terrorist content',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page reads the database at request time, never at build time.
  await connection();
  const database = await openOrExplain();
  const synthetic = database.ok && database.synthetic;
  const principal = database.ok ? await currentPrincipal() : null;
  const figures = principal && database.ok ? dataOf(await currentFacts(database.store)) : null;
  const pages = principal ? NAV_PAGES.filter((p) => roleHas(principal.role, p.needs)).map(({ href, label }) => ({ href, label })) : [];
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <div className="container">
            <Link className="site-title" href="/">
              Takedown Monitor
            </Link>
            {principal && <SiteNav pages={pages} />}
            {principal && (
              <form className="user-menu" method="post" action="/api/auth/sign-out">
                <span>
                  {principal.name} <span className="role">({ROLE_WORDS[principal.role].split(' (')[0]})</span>
                </span>{' '}
                <button type="submit">Sign out</button>
              </form>
            )}
          </div>
        </header>
        <main className="container">
          {synthetic && <SyntheticBanner />}
          {database.ok ? (
            children
          ) : (
            <div role="alert" className="error-panel" data-render-error="server">
              <h1>The database cannot be used</h1>
              <p>{database.message}</p>
              <p>
                Nothing was written to it. Fix the database or its setting (DATABASE_PATH for the SQLite file, DATABASE_URL for PostgreSQL) and reload; a backup can be put
                back with npm run restore.
              </p>
            </div>
          )}
        </main>
        {figures && <DataFooter version={figures.version} importBatch={figures.import} pending={figures.newer_version_pending} />}
      </body>
    </html>
  );
}

/**
 * The shared store, asked once (a PostgreSQL server is reached only then), or
 * the refusal in words (a corrupt or foreign file, a server that does not
 * answer, a database without its migrations): never a stack trace.
 */
async function openOrExplain(): Promise<{ ok: true; store: Store; synthetic: boolean } | { ok: false; message: string }> {
  try {
    const store = getStore();
    return { ok: true, store, synthetic: await isSyntheticDataset(store) };
  } catch (err) {
    if (err instanceof StoreOpenError) return { ok: false, message: err.message };
    throw err;
  }
}
