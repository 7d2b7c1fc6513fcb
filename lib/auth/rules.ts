// Every route of app/ and what it needs. Pages and route handlers look
// their rule up here (lib/auth/dal.ts); the access test reads app/ and
// fails for a route missing from this table, then asks every route as every
// role over HTTP. The proxy uses it only to send people to sign in sooner.
import type { Capability } from './roles';

export type Rule = 'public' | Capability;

export const ROUTE_RULES = {
  // Signing in and out.
  '/sign-in': 'public',
  '/api/auth/sign-in': 'public',
  '/api/auth/sign-out': 'public',
  // Aggregates, charts, briefings: every role.
  '/': 'aggregates',
  '/about': 'aggregates',
  '/providers': 'aggregates',
  '/providers/[code]': 'aggregates',
  '/orders': 'aggregates',
  '/groups': 'aggregates',
  '/groups/[code]': 'aggregates',
  '/languages': 'aggregates',
  '/campaigns': 'aggregates',
  '/campaigns/[code]': 'aggregates',
  '/briefing': 'aggregates',
  '/briefing.pdf': 'aggregates',
  '/reports/transparency': 'aggregates',
  '/reports/transparency.pdf': 'aggregates',
  '/api/v1/summary': 'aggregates',
  '/api/v1/breakdown': 'aggregates',
  '/api/v1/comparison': 'aggregates',
  '/api/v1/matrix': 'aggregates',
  '/api/v1/new-platforms': 'aggregates',
  '/api/v1/orders': 'aggregates',
  '/api/v1/provider-compliance': 'aggregates',
  '/api/v1/spread': 'aggregates',
  '/api/v1/transparency': 'aggregates',
  '/api/v1/views-before-action': 'aggregates',
  '/api/v1/volumes': 'aggregates',
  '/api/v1/openapi.json': 'aggregates',
  // Records with URLs, and exports: analysts and above.
  '/records': 'records',
  '/api/v1/referrals': 'records',
  '/api/v1/referrals.csv': 'exports',
  '/api/v1/breakdown.csv': 'exports',
  // Imports: stewards and above.
  '/import': 'import',
  '/import/[batch]': 'import',
  '/import/[batch]/errors.csv': 'import',
  '/api/v1/imports': 'import',
  // Users and the audit trail: administrators.
  '/admin/users': 'admin',
  '/admin/audit': 'admin',
  '/api/admin/users': 'admin',
} as const satisfies Record<string, Rule>;

export type Route = keyof typeof ROUTE_RULES;

/** The rule of a concrete path (e.g. /providers/youtube → /providers/[code]); null for a path no route has. */
export function ruleOfPath(pathname: string): { route: Route; rule: Rule } | null {
  if (pathname in ROUTE_RULES) return { route: pathname as Route, rule: ROUTE_RULES[pathname as Route] };
  const parts = pathname.split('/').filter(Boolean);
  for (const [route, rule] of Object.entries(ROUTE_RULES) as [Route, Rule][]) {
    const pattern = route.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    // Empty segments are gone (filter above), so a [dynamic] one matches any segment at its depth.
    if (pattern.every((p, i) => p.startsWith('[') || p === parts[i])) return { route, rule };
  }
  return null;
}

/** Pages that show records (URLs, referral ids) to roles that may see them: each view is a record view in the audit trail. */
export const PAGES_SHOWING_RECORDS: ReadonlySet<Route> = new Set<Route>(['/records', '/providers/[code]', '/orders']);
