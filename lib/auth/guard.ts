// The check every route handler makes before it reads anything: who asks
// (session cookie or API token) and whether their role may have this
// route's data (lib/auth/rules.ts). Refusals are audited. Never a stack
// trace: a database that cannot be opened answers 503 in words.
import { getStore } from '@/db/open';
import { StoreBusyError, StoreOpenError, type Store } from '@/db/store';
import { audit } from './audit';
import { authenticate } from './authenticate';
import { CAPABILITIES, roleHas, type Principal } from './roles';
import { ROUTE_RULES, type Route } from './rules';

/** The API's error answer (API.md): the message in words and the parameters at fault. */
export function errorResponse(status: number, message: string, issues: { param: string; message: string }[] = [], extraHeaders: Record<string, string> = {}): Response {
  return Response.json({ error: { message, issues } }, { status, headers: { 'Cache-Control': 'no-store', ...extraHeaders } });
}

export const SIGN_IN_FIRST = 'Sign in first: this needs a session (sign in at /sign-in) or an API token (Authorization: Bearer …).';

export function refusalMessage(route: Route): string {
  const rule = ROUTE_RULES[route];
  return rule === 'public' ? '' : `Your role may not see this: it needs the ${CAPABILITIES[rule]} role or above.`;
}

export interface GuardContext<P> {
  store: Store;
  principal: Principal;
  params: P;
}

/**
 * Wraps a route handler: 401 without credentials, 403 (audited) for a role
 * that may not, `Cache-Control: no-store` on every answer.
 */
export function guarded<P = Record<string, never>>(route: Route, handler: (request: Request, context: GuardContext<P>) => Promise<Response> | Response) {
  return async function handle(request: Request, next?: { params?: Promise<P> }): Promise<Response> {
    let store: Store;
    try {
      store = getStore();
    } catch (err) {
      if (err instanceof StoreOpenError) return errorResponse(503, err.message);
      throw err;
    }
    const rule = ROUTE_RULES[route];
    let principal: Principal | null;
    try {
      ({ principal } = await authenticate(store, request.headers));
    } catch (err) {
      if (err instanceof StoreOpenError) return errorResponse(503, err.message);
      throw err;
    }
    if (rule !== 'public') {
      const url = new URL(request.url);
      if (!principal) return errorResponse(401, SIGN_IN_FIRST, [], { 'WWW-Authenticate': 'Bearer realm="takedown-monitor"' });
      if (!roleHas(principal.role, rule)) {
        audit(store, { actor: principal, action: 'refused', outcome: 'refused', target: url.pathname, filters: url.searchParams, detail: `needs ${CAPABILITIES[rule]}` });
        return errorResponse(403, refusalMessage(route));
      }
    }
    let response: Response;
    try {
      response = await handler(request, { store, principal: principal!, params: ((await next?.params) ?? {}) as P });
    } catch (err) {
      if (err instanceof StoreBusyError) return errorResponse(503, err.message, [], { 'Retry-After': '30' });
      if (err instanceof StoreOpenError) return errorResponse(503, err.message);
      console.error(`${request.method} ${route} failed`, err);
      return errorResponse(500, 'The server could not answer this request; the error is in the server log.');
    }
    try {
      response.headers.set('Cache-Control', 'no-store');
    } catch {
      // Immutable headers (a redirect): those carry no data.
    }
    return response;
  };
}
