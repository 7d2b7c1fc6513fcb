import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SiteNav } from '@/components/layout/site-nav';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Takedown Monitor', template: '%s · Takedown Monitor' },
  description: 'How online platforms handle referrals and removal orders of terrorist content',
};

export default function RootLayout({ children }: { children: ReactNode }) {
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
        <main className="container">{children}</main>
      </body>
    </html>
  );
}
