import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SiteNav } from '@/components/layout/site-nav';
import { SyntheticBanner } from '@/components/layout/synthetic-banner';
import { getDb } from '@/db/client';
import { isSyntheticDataset } from '@/db/queries/meta';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Takedown Monitor', template: '%s · Takedown Monitor' },
  description: 'How online platforms handle referrals and removal orders of terrorist content',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page reads the database at request time, never at build time.
  await connection();
  const synthetic = holdsSyntheticData();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <div className="container">
            <a className="site-title" href="/">
              Takedown Monitor
            </a>
            <SiteNav />
          </div>
        </header>
        <main className="container">
          {synthetic && <SyntheticBanner />}
          {children}
        </main>
      </body>
    </html>
  );
}

/** UI.md: whenever the database holds the demo set, every page says so. */
function holdsSyntheticData(): boolean {
  try {
    return isSyntheticDataset(getDb());
  } catch {
    // A database that cannot be opened is reported by the page itself, in words.
    return false;
  }
}
