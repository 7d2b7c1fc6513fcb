// Who may use each route, written out by hand from the README's role table
// (issue 23). It is deliberately not derived from lib/auth: the access tests
// hold the code to this table first and to its own rule table second, so a
// wrong rule there (say, analysts allowed to import) cannot move the
// expected answer with it. A new route must be added here by hand.
import type { Role } from '@/lib/auth/roles';

const EVERY_ROLE = ['viewer', 'analyst', 'steward', 'admin'] as const;
const ANALYSTS_UP = ['analyst', 'steward', 'admin'] as const;
const STEWARDS_UP = ['steward', 'admin'] as const;
const ADMINS = ['admin'] as const;

export const WHO_MAY: Record<string, 'anyone' | readonly Role[]> = {
  // Signing in and out: anyone.
  '/sign-in': 'anyone',
  '/api/auth/sign-in': 'anyone',
  '/api/auth/sign-out': 'anyone',
  // Aggregates, charts, briefings and their PDFs, the transparency report: every role (README: viewer).
  '/': EVERY_ROLE,
  '/about': EVERY_ROLE,
  '/providers': EVERY_ROLE,
  '/providers/[code]': EVERY_ROLE,
  '/orders': EVERY_ROLE,
  '/groups': EVERY_ROLE,
  '/groups/[code]': EVERY_ROLE,
  '/languages': EVERY_ROLE,
  '/campaigns': EVERY_ROLE,
  '/campaigns/[code]': EVERY_ROLE,
  '/briefing': EVERY_ROLE,
  '/briefing.pdf': EVERY_ROLE,
  '/reports/transparency': EVERY_ROLE,
  '/reports/transparency.pdf': EVERY_ROLE,
  '/api/v1/summary': EVERY_ROLE,
  '/api/v1/breakdown': EVERY_ROLE,
  '/api/v1/comparison': EVERY_ROLE,
  '/api/v1/matrix': EVERY_ROLE,
  '/api/v1/new-platforms': EVERY_ROLE,
  '/api/v1/orders': EVERY_ROLE,
  '/api/v1/provider-compliance': EVERY_ROLE,
  '/api/v1/spread': EVERY_ROLE,
  '/api/v1/transparency': EVERY_ROLE,
  '/api/v1/views-before-action': EVERY_ROLE,
  '/api/v1/volumes': EVERY_ROLE,
  // The description of the API: any signed-in user.
  '/api/v1/openapi.json': EVERY_ROLE,
  // Records with their URLs and every CSV export: analysts, stewards, administrators.
  '/records': ANALYSTS_UP,
  '/api/v1/referrals': ANALYSTS_UP,
  '/api/v1/referrals.csv': ANALYSTS_UP,
  '/api/v1/breakdown.csv': ANALYSTS_UP,
  // Imports: stewards and administrators.
  '/import': STEWARDS_UP,
  '/import/[batch]': STEWARDS_UP,
  '/import/[batch]/errors.csv': STEWARDS_UP,
  '/api/v1/imports': STEWARDS_UP,
  // Users and the audit trail: administrators.
  '/admin/users': ADMINS,
  '/admin/audit': ADMINS,
  '/api/admin/users': ADMINS,
};

/** Whether `role` (null: nobody signed in) may use `route`, by the table above. */
export function mayUse(route: string, role: Role | null): boolean {
  const who = WHO_MAY[route];
  if (who === undefined) throw new Error(`${route} is not in test/helpers/who-may.ts: add it by hand, from the README's role table`);
  return who === 'anyone' || (role !== null && who.includes(role));
}
