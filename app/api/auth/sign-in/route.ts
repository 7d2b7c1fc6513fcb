// POST from the sign-in form: on success a new session (a new token every
// time) in an HttpOnly cookie and a redirect to where the person was going;
// otherwise back to the form with the same words for an unknown address
// and a wrong password.
import { getStore } from '@/db/open';
import { StoreBusyError, StoreOpenError } from '@/db/store';
import { sessionCookie } from '@/lib/auth/authenticate';
import { errorResponse } from '@/lib/auth/guard';
import { CROSS_ORIGIN_REFUSED, safeNext, sameOrigin } from '@/lib/auth/origin';
import { signIn } from '@/lib/auth/sign-in';
import { clientAddress } from '@/lib/auth/client-address';

export const dynamic = 'force-dynamic';

function back(request: Request, query: Record<string, string>): Response {
  const to = new URL('/sign-in', request.url);
  for (const [k, v] of Object.entries(query)) to.searchParams.set(k, v);
  return new Response(null, { status: 303, headers: { Location: `${to.pathname}${to.search}`, 'Cache-Control': 'no-store' } });
}

export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return errorResponse(403, CROSS_ORIGIN_REFUSED);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return back(request, { error: 'form' });
  }
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : '';
  };
  const next = safeNext(field('next'));
  const email = field('email');
  const password = field('password');
  if (!email.trim() || !password) return back(request, { error: 'missing', next });
  try {
    const result = await signIn(getStore(), email, password, clientAddress(request.headers));
    if (!result.ok)
      return back(request, result.reason === 'throttled' ? { error: 'throttled', seconds: String(result.retryAfterSeconds), next } : { error: 'invalid', next });
    return new Response(null, { status: 303, headers: { Location: next, 'Set-Cookie': sessionCookie(result.token), 'Cache-Control': 'no-store' } });
  } catch (err) {
    if (err instanceof StoreBusyError) return back(request, { error: 'busy', next });
    if (err instanceof StoreOpenError) return back(request, { error: 'database', next });
    console.error('sign-in failed', err);
    return back(request, { error: 'server', next });
  }
}
