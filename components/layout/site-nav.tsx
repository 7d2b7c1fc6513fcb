'use client';
// The main navigation (the entries the role may open, chosen on the
// server); the current page is marked for assistive technology too.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function SiteNav({ pages }: { pages: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav className="site-nav" aria-label="Main">
      <ul>
        {pages.map((p) => (
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
