'use client';
// The main navigation; the current page is marked for assistive technology too.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const PAGES = [
  { href: '/', label: 'Overview' },
  { href: '/providers', label: 'Providers' },
  { href: '/orders', label: 'Removal orders' },
  { href: '/groups', label: 'Groups' },
  { href: '/languages', label: 'Languages' },
  { href: '/campaigns', label: 'Campaigns' },
  { href: '/records', label: 'Records' },
  { href: '/reports/transparency', label: 'Transparency report' },
  { href: '/about', label: 'About' },
];

export function SiteNav() {
  const pathname = usePathname();
  return (
    <nav className="site-nav" aria-label="Main">
      <ul>
        {PAGES.map((p) => (
          <li key={p.href}>
            <Link href={p.href} aria-current={pathname === p.href ? 'page' : undefined}>
              {p.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
