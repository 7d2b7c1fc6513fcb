// The main navigation, and what each entry needs: a role sees only the
// pages it may open (the pages check again themselves).
import type { Capability } from '@/lib/auth/roles';

export const NAV_PAGES: { href: string; label: string; needs: Capability }[] = [
  { href: '/', label: 'Overview', needs: 'aggregates' },
  { href: '/providers', label: 'Providers', needs: 'aggregates' },
  { href: '/orders', label: 'Removal orders', needs: 'aggregates' },
  { href: '/groups', label: 'Groups', needs: 'aggregates' },
  { href: '/languages', label: 'Languages', needs: 'aggregates' },
  { href: '/campaigns', label: 'Campaigns', needs: 'aggregates' },
  { href: '/records', label: 'Records', needs: 'records' },
  { href: '/reports/transparency', label: 'Transparency report', needs: 'aggregates' },
  { href: '/import', label: 'Import', needs: 'import' },
  { href: '/admin/users', label: 'Users', needs: 'admin' },
  { href: '/admin/audit', label: 'Audit trail', needs: 'admin' },
  { href: '/about', label: 'About', needs: 'aggregates' },
];
