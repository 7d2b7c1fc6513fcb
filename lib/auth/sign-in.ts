// Signing in: the same answer, after the same one Argon2id verification,
// for an unknown address and a wrong password; attempts throttled per
// address and per client address (lib/auth/throttle.ts), counted before the
// verification so that concurrency cannot get round the limits.
import type { Db } from '@/db/sqlite/client';
import { insertAudit } from './audit';
import { writeSoon } from './nonblocking';
import type { Principal } from './roles';
import { verifyPassword } from './secrets';
import { createSession, findUserByEmail, normaliseEmail } from './store';
import { admitAttempt, closeRefusalWindows, countRefusal, emailKey, forgetAttempts } from './throttle';

export type SignInResult =
  | { ok: true; token: string; principal: Principal }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export const SIGN_IN_REFUSED = 'The e-mail address or the password is not right.';

export function throttledMessage(seconds: number): string {
  const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many failed sign-ins for this address or from your network address. Try again in ${wait}.`;
}

/**
 * What the audit trail shows of a typed address: the address of a user, or
 * else a keyed hash (the text may be a password typed into the wrong field).
 */
function actorOf(db: Db, email: string, known: boolean): string {
  return known ? email : `unknown address ${emailKey(db, email).slice(0, 12)}`;
}

export async function signIn(db: Db, emailTyped: string, password: string, client: string, now: number = Date.now()): Promise<SignInResult> {
  const email = normaliseEmail(emailTyped).slice(0, 320);
  const user = findUserByEmail(db, email);
  const actor = actorOf(db, email, user !== undefined);
  const admitted = await writeSoon(db, (w) => {
    closeRefusalWindows(w, now);
    const decision = admitAttempt(w, email, client, now);
    if (!decision.allowed) countRefusal(w, client, actor, decision.why, now);
    return decision;
  });
  if (!admitted.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: admitted.retryAfterSeconds };
  const usable = user !== undefined && user.disabled_at === null;
  // A disabled or unknown user costs the same verification as a wrong password.
  const good = await verifyPassword(usable ? user.password_hash : null, password);
  if (!good || !usable) {
    const detail = user === undefined ? 'unknown address' : usable ? 'wrong password' : 'user disabled';
    await writeSoon(db, (w) => insertAudit(w, { actor, action: 'sign_in', outcome: 'failed', target: '/sign-in', detail, client, at: now }));
    return { ok: false, reason: 'invalid' };
  }
  return writeSoon(db, (w) => {
    forgetAttempts(w, email, client);
    const session = createSession(w, user.id, now);
    const principal: Principal = { userId: user.id, email: user.email, name: user.name, role: user.role, via: 'session', credentialId: session.id };
    insertAudit(w, { actor: principal, action: 'sign_in', outcome: 'allowed', target: '/sign-in', client, at: now });
    return { ok: true as const, token: session.token, principal };
  });
}
