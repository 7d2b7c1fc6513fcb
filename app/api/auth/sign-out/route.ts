// POST from the sign-out button: the session ends on the server (the
// cookie's token is worthless from now on) and the cookie is cleared.
import { getStore } from '@/db/open';
import { StoreBusyError, StoreOpenError } from '@/db/store';
import { audit } from '@/lib/auth/audit';
import { authenticate, clearedSessionCookie } from '@/lib/auth/authenticate';
import { errorResponse } from '@/lib/auth/guard';
import { CROSS_ORIGIN_REFUSED, sameOrigin } from '@/lib/auth/origin';
import { endSession } from '@/lib/auth/accounts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return errorResponse(403, CROSS_ORIGIN_REFUSED);
  const done = (query: string) => new Response(null, { status: 303, headers: { Location: `/sign-in?${query}`, 'Set-Cookie': clearedSessionCookie(), 'Cache-Control': 'no-store' } });
  try {
    const store = getStore();
    const { principal } = await authenticate(store, request.headers);
    if (principal?.via === 'session') {
      await store.write((tx) => endSession(tx, principal.credentialId, 'signed out', Date.now()), { waitMs: 20_000 });
      audit(store, { actor: principal, action: 'sign_out', outcome: 'allowed', target: '/api/auth/sign-out' });
    }
    return done('signed_out=1');
  } catch (err) {
    if (err instanceof StoreBusyError || err instanceof StoreOpenError) return done('error=busy');
    throw err;
  }
}
