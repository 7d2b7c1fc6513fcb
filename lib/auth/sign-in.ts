// Signing in: the same answer for an unknown address and a wrong password
// (both take one Argon2id verification), and throttling by address that
// survives a restart (failures are rows in the database).
import type { Db } from '@/db/client';
import { getSettings } from '@/lib/settings';
import { insertAudit } from './audit';
import { writeSoon } from './nonblocking';
import type { Principal } from './roles';
import { verifyPassword } from './secrets';
import { clearFailures, createSession, failuresSince, findUserByEmail, normaliseEmail, recordFailure } from './store';

export type SignInResult =
  | { ok: true; token: string; principal: Principal }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMinutes: number };

export const SIGN_IN_REFUSED = 'The e-mail address or the password is not right.';

export function throttledMessage(minutes: number): string {
  return `Too many failed sign-ins for this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** When the address may try again, or null if it may now. */
export function throttledUntil(db: Db, email: string, now: number): number | null {
  const { SIGN_IN_MAX_FAILURES: max, SIGN_IN_LOCK_MINUTES: minutes } = getSettings();
  const windowMs = minutes * 60_000;
  const failures = failuresSince(db, email, now - windowMs);
  if (failures.length < max) return null;
  // Locked until the max-th most recent failure leaves the window.
  return failures[failures.length - max] + windowMs;
}

export async function signIn(db: Db, emailTyped: string, password: string, now: number = Date.now()): Promise<SignInResult> {
  const email = normaliseEmail(emailTyped).slice(0, 320);
  const until = throttledUntil(db, email, now);
  if (until !== null) {
    const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
    await writeSoon(db, (w) => insertAudit(w, { actor: email, action: 'sign_in', outcome: 'refused', target: '/sign-in', detail: 'throttled: too many failed sign-ins', at: now }));
    return { ok: false, reason: 'throttled', retryAfterMinutes: minutes };
  }
  const user = findUserByEmail(db, email);
  const usable = user !== undefined && user.disabled_at === null;
  // A disabled or unknown user costs the same verification as a wrong password.
  const good = await verifyPassword(usable ? user.password_hash : null, password);
  if (!good || !usable) {
    await writeSoon(db, (w) => {
      recordFailure(w, email, now);
      insertAudit(w, { actor: email, action: 'sign_in', outcome: 'failed', target: '/sign-in', detail: user === undefined ? 'unknown address' : usable ? 'wrong password' : 'user disabled', at: now });
    });
    return { ok: false, reason: 'invalid' };
  }
  return writeSoon(db, (w) => {
    clearFailures(w, email);
    const session = createSession(w, user.id, now);
    const principal: Principal = { userId: user.id, email: user.email, name: user.name, role: user.role, via: 'session', credentialId: session.id };
    insertAudit(w, { actor: principal, action: 'sign_in', outcome: 'allowed', target: '/sign-in', at: now });
    return { ok: true as const, token: session.token, principal };
  });
}
