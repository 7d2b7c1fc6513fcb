import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SiteNav } from '@/components/layout/site-nav';
import { SyntheticBanner } from '@/components/layout/synthetic-banner';
import { DatabaseOpenError, getDb, type Db } from '@/db/sqlite/client';
import { isSyntheticDataset } from '@/db/sqlite/queries/meta';
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
  const database = openOrExplain();
  const synthetic = database.ok && isSyntheticDataset(database.db);
  const principal = database.ok ? await currentPrincipal() : null;
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
              <p>Nothing was written to it. Fix the file or the DATABASE_PATH setting and restart the app; a backup can be put back with npm run restore.</p>
            </div>
          )}
        </main>
      </body>
    </html>
  );
}

/** The shared connection, or the refusal in words (a corrupt or foreign file at DATABASE_PATH): never a stack trace. */
function openOrExplain(): { ok: true; db: Db } | { ok: false; message: string } {
  try {
    return { ok: true, db: getDb() };
  } catch (err) {
    if (err instanceof DatabaseOpenError) return { ok: false, message: err.message };
    throw err;
  }
}
