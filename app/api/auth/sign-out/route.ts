// POST from the sign-out button: the session ends on the server (the
// cookie's token is worthless from now on) and the cookie is cleared.
import { DatabaseOpenError, getDb } from '@/db/sqlite/client';
import { audit } from '@/lib/auth/audit';
import { authenticate, clearedSessionCookie } from '@/lib/auth/authenticate';
import { writeSoon, DatabaseBusyError } from '@/lib/auth/nonblocking';
import { errorResponse } from '@/lib/auth/guard';
import { CROSS_ORIGIN_REFUSED, sameOrigin } from '@/lib/auth/origin';
import { endSession } from '@/lib/auth/store';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return errorResponse(403, CROSS_ORIGIN_REFUSED);
  const done = (query: string) => new Response(null, { status: 303, headers: { Location: `/sign-in?${query}`, 'Set-Cookie': clearedSessionCookie(), 'Cache-Control': 'no-store' } });
  try {
    const db = getDb();
    const { principal } = authenticate(db, request.headers);
    if (principal?.via === 'session') {
      await writeSoon(db, (w) => endSession(w, principal.credentialId, 'signed out', Date.now()));
      audit(db, { actor: principal, action: 'sign_out', outcome: 'allowed', target: '/api/auth/sign-out' });
    }
    return done('signed_out=1');
  } catch (err) {
    if (err instanceof DatabaseBusyError || err instanceof DatabaseOpenError) return done('error=busy');
    throw err;
  }
}
