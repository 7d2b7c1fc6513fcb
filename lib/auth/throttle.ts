// Throttling of sign-ins (issue 14). Every attempt is counted in the same
// write transaction as the check, before its password is verified, so that
// however many attempts arrive at once, on one app server or several
// sharing the database, no more verifications run than the rules allow.
//
// The rules, over the last SIGN_IN_LOCK_MINUTES (the window):
// - a client address may make SIGN_IN_MAX_FAILURES attempts at one e-mail
//   address, and SIGN_IN_CLIENT_MAX_FAILURES attempts over all addresses;
// - an address with SIGN_IN_MAX_FAILURES attempts from all clients is held:
//   it may then be tried only from a client address with no attempt in the
//   window, and only once every SIGN_IN_HELD_INTERVAL_SECONDS. So nobody
//   can keep the rightful user out by failing on purpose (they sign in from
//   their own address, at worst after that interval), and the attempts at
//   one address stay bounded: SIGN_IN_MAX_FAILURES plus one an interval.
// A successful sign-in forgets the attempts of its own client at that
// address (not those of others). Refusals are not written to the audit
// trail one by one: the first of a client in a window is, the rest are
// counted and written as one entry once the window has passed.
import { createHmac } from 'node:crypto';
import { getStore } from '@/db/open';
import { StoreBusyError, type AttemptFilter, type Store } from '@/db/store';
import { getSettings, type Settings } from '@/lib/settings';
import { insertAudit } from './audit';

export type ThrottleDecision = { allowed: true; attemptId: number } | { allowed: false; retryAfterSeconds: number; why: string };

type Limits = Pick<Settings, 'SIGN_IN_MAX_FAILURES' | 'SIGN_IN_LOCK_MINUTES' | 'SIGN_IN_CLIENT_MAX_FAILURES' | 'SIGN_IN_HELD_INTERVAL_SECONDS'>;

const DAY_MS = 24 * 3600_000;

/** The keyed hash of a typed address: equal for equal addresses, and no way back to the text. */
export async function emailKey(store: Store, email: string): Promise<string> {
  const key = await store.signIns.emailHashKey();
  if (!key) throw new Error('the database has no key for e-mail hashes (migration 0003 not applied)');
  return createHmac('sha256', key).update(email).digest('hex').slice(0, 32);
}

/**
 * Checks whether an attempt at `email` from `client` may be verified now and,
 * if so, counts it. Must run inside a write transaction (store.write): that
 * is what makes check and count one step for every process.
 */
export async function admitAttempt(tx: Store, email: string, client: string, now: number, limits: Limits = getSettings()): Promise<ThrottleDecision> {
  const windowMs = limits.SIGN_IN_LOCK_MINUTES * 60_000;
  const since = now - windowMs;
  const key = await emailKey(tx, email);
  const waitFor = async (filter: AttemptFilter, offset: number) => {
    // The attempt whose leaving the window frees a place.
    const at = await tx.signIns.attemptAt(filter, offset);
    return Math.max(1, Math.ceil(((at ?? now) + windowMs - now) / 1000));
  };
  const clientOnly = { client, since };
  const fromClient = await tx.signIns.countAttempts(clientOnly);
  if (fromClient >= limits.SIGN_IN_CLIENT_MAX_FAILURES)
    return { allowed: false, why: 'too many failed sign-ins from this network address', retryAfterSeconds: await waitFor(clientOnly, limits.SIGN_IN_CLIENT_MAX_FAILURES - 1) };
  const pairOnly = { emailKey: key, client, since };
  const pair = await tx.signIns.countAttempts(pairOnly);
  if (pair >= limits.SIGN_IN_MAX_FAILURES)
    return { allowed: false, why: 'too many failed sign-ins for this address from this network address', retryAfterSeconds: await waitFor(pairOnly, limits.SIGN_IN_MAX_FAILURES - 1) };
  const atAddress = await tx.signIns.countAttempts({ emailKey: key, since });
  let held = false;
  if (atAddress >= limits.SIGN_IN_MAX_FAILURES) {
    // Held: only a client address that has not failed, and one attempt an interval.
    if (fromClient > 0)
      return { allowed: false, why: 'this address is held after failed sign-ins, and this network address has failed too', retryAfterSeconds: await waitFor(clientOnly, 0) };
    const intervalMs = limits.SIGN_IN_HELD_INTERVAL_SECONDS * 1000;
    const lastHeld = await tx.signIns.lastHeldAttemptAt(key);
    if (lastHeld !== null && now - lastHeld < intervalMs)
      return { allowed: false, why: 'this address is held after failed sign-ins: one attempt an interval', retryAfterSeconds: Math.max(1, Math.ceil((lastHeld + intervalMs - now) / 1000)) };
    held = true;
  }
  const attemptId = await tx.signIns.addAttempt(key, client, now, held);
  // Attempts older than a day count for nothing: keep the table small.
  await tx.signIns.dropAttemptsBefore(now - DAY_MS);
  return { allowed: true, attemptId };
}

/** After a successful sign-in: the attempts of this client at this address are forgotten. */
export async function forgetAttempts(tx: Store, email: string, client: string): Promise<void> {
  await tx.signIns.forgetAttempts(await emailKey(tx, email), client);
}

/**
 * Records a refused attempt: the first of a client in a window goes into
 * the audit trail at once, later ones only raise a count (inside the
 * caller's write transaction). `actor` is what the audit trail may show of
 * the typed address.
 */
export async function countRefusal(tx: Store, client: string, actor: string, why: string, now: number, limits: Pick<Settings, 'SIGN_IN_LOCK_MINUTES'> = getSettings()): Promise<void> {
  const windowMs = limits.SIGN_IN_LOCK_MINUTES * 60_000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  if (await tx.signIns.countRefusal(client, windowStart, now)) return;
  await tx.signIns.openRefusalWindow(client, windowStart, now);
  await insertAudit(tx, {
    actor,
    action: 'sign_in',
    outcome: 'refused',
    target: '/sign-in',
    client,
    detail: `throttled: ${why} (further refusals from this network address until ${new Date(windowStart + windowMs).toISOString()} are counted in one entry)`,
    at: now,
  });
}

/**
 * Writes one audit entry for each client and past window with refusals
 * after the first, and forgets the counts (inside a write transaction).
 * Returns how many entries were written.
 */
export async function closeRefusalWindows(tx: Store, now: number, limits: Pick<Settings, 'SIGN_IN_LOCK_MINUTES'> = getSettings()): Promise<number> {
  const windowMs = limits.SIGN_IN_LOCK_MINUTES * 60_000;
  const closed = await tx.signIns.closedRefusalWindows(windowMs, now);
  let written = 0;
  for (const w of closed) {
    if (w.count > 1) {
      await insertAudit(tx, {
        actor: '-',
        action: 'sign_in',
        outcome: 'refused',
        target: '/sign-in',
        client: w.client,
        detail: `throttled: ${w.count - 1} further refused sign-ins from this network address between ${new Date(w.first_at).toISOString()} and ${new Date(w.last_at).toISOString()}`,
        at: w.window_start + windowMs,
      });
      written++;
    }
    await tx.signIns.dropRefusalWindow(w.client, w.window_start);
  }
  return written;
}

/** closeRefusalWindows on the app's database if it is free right now (never waiting for an import's lock). */
export function closeRefusalWindowsSoon(): void {
  let store: Store;
  try {
    store = getStore();
  } catch (err) {
    console.error('Could not write the counts of refused sign-ins:', err instanceof Error ? err.message : err);
    return;
  }
  store.write((tx) => closeRefusalWindows(tx, Date.now()), { waitMs: 0 }).catch((err: unknown) => {
    if (err instanceof StoreBusyError) return;
    console.error('Could not write the counts of refused sign-ins:', err instanceof Error ? err.message : err);
  });
}
