// The data access layer's gate for pages and server components: who the
// request is from, and whether their role may see this page. Every page
// calls requirePage with its route before it reads anything; functions that
// return records check the principal again (assertMay).
import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { getStore } from '@/db/open';
import { audit } from './audit';
import { authenticate } from './authenticate';
import { CAPABILITIES, roleHas, type Principal } from './roles';
import { ROUTE_RULES, type Route } from './rules';

/** The request's principal (once per request), or null. */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const h = await headers();
  return (await authenticate(getStore(), h)).principal;
});

/** The principal if their role may see `route`; otherwise to the sign-in page, or a 403 (audited). */
export async function requirePage(route: Route): Promise<Principal> {
  const rule = ROUTE_RULES[route];
  const principal = await currentPrincipal();
  if (!principal) redirect('/sign-in');
  if (rule !== 'public' && !roleHas(principal.role, rule)) {
    audit(getStore(), { actor: principal, action: 'refused', outcome: 'refused', target: route, detail: `needs ${CAPABILITIES[rule]}` });
    forbidden();
  }
  return principal;
}
