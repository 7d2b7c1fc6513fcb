import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/lib/auth/dal';
import { safeNext } from '@/lib/auth/origin';
import { SIGN_IN_REFUSED, throttledMessage } from '@/lib/auth/sign-in';
import type { SearchParams } from '@/lib/page-filters';
import styles from './sign-in.module.css';

export const metadata: Metadata = { title: 'Sign in' };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

function problem(params: SearchParams): string | null {
  const error = one(params.error);
  if (error === 'invalid') return SIGN_IN_REFUSED;
  if (error === 'throttled') return throttledMessage(Math.min(24 * 3600, Math.max(1, Number.parseInt(one(params.seconds), 10) || 1)));
  if (error === 'missing') return 'Give your e-mail address and your password.';
  if (error === 'busy') return 'The database is busy with an import just now; please try again in a minute.';
  if (error === 'database') return 'The database cannot be used just now; an administrator has been told in the server log.';
  if (error === 'form' || error === 'server') return 'Signing in did not work this time; please try again.';
  return null;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const next = safeNext(one(params.next));
  if (await currentPrincipal()) redirect(next);
  const error = problem(params);
  return (
    <div className={styles.box}>
      <h1>Sign in</h1>
      <p>Takedown Monitor holds operational information: every page needs an account. An administrator gives accounts (README: users).</p>
      {one(params.signed_out) === '1' && <p role="status">You are signed out.</p>}
      {one(params.expired) === '1' && !error && <p role="status">Your session has ended; please sign in again.</p>}
      {error && (
        <p role="alert" className="error-panel">
          {error}
        </p>
      )}
      <form method="post" action="/api/auth/sign-in" className={styles.form}>
        <input type="hidden" name="next" value={next} />
        <label htmlFor="email">E-mail address</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </div>
  );
}
