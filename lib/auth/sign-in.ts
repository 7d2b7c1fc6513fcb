// Signing in: the same answer, after the same one Argon2id verification,
// for an unknown address and a wrong password; attempts throttled per
// address and per client address (lib/auth/throttle.ts), counted before the
// verification so that concurrency cannot get round the limits.
import type { Store } from '@/db/store';
import { insertAudit } from './audit';
import type { Principal } from './roles';
import { verifyPassword } from './secrets';
import { createSession, findUserByEmail, normaliseEmail } from './accounts';
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
async function actorOf(store: Store, email: string, known: boolean): Promise<string> {
  return known ? email : `unknown address ${(await emailKey(store, email)).slice(0, 12)}`;
}

/** Sign-in writes wait for a busy database (an import elsewhere) this long, without blocking other requests. */
const SIGN_IN_WAIT_MS = 20_000;

export async function signIn(store: Store, emailTyped: string, password: string, client: string, now: number = Date.now()): Promise<SignInResult> {
  const email = normaliseEmail(emailTyped).slice(0, 320);
  const user = await findUserByEmail(store, email);
  const actor = await actorOf(store, email, user !== undefined);
  const admitted = await store.write(async (tx) => {
    await closeRefusalWindows(tx, now);
    const decision = await admitAttempt(tx, email, client, now);
    if (!decision.allowed) await countRefusal(tx, client, actor, decision.why, now);
    return decision;
  }, { waitMs: SIGN_IN_WAIT_MS });
  if (!admitted.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: admitted.retryAfterSeconds };
  const usable = user !== undefined && user.disabled_at === null;
  // A disabled or unknown user costs the same verification as a wrong password.
  const good = await verifyPassword(usable ? user.password_hash : null, password);
  if (!good || !usable) {
    const detail = user === undefined ? 'unknown address' : usable ? 'wrong password' : 'user disabled';
    await store.write((tx) => insertAudit(tx, { actor, action: 'sign_in', outcome: 'failed', target: '/sign-in', detail, client, at: now }), { waitMs: SIGN_IN_WAIT_MS });
    return { ok: false, reason: 'invalid' };
  }
  return store.write(async (tx) => {
    await forgetAttempts(tx, email, client);
    const session = await createSession(tx, user.id, now);
    const principal: Principal = { userId: user.id, email: user.email, name: user.name, role: user.role, via: 'session', credentialId: session.id };
    await insertAudit(tx, { actor: principal, action: 'sign_in', outcome: 'allowed', target: '/sign-in', client, at: now });
    return { ok: true as const, token: session.token, principal };
  }, { waitMs: SIGN_IN_WAIT_MS });
}
