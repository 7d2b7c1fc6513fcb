// Passwords and random tokens. Passwords are hashed with Argon2id at the
// OWASP parameters (19 MiB, 2 passes, 1 lane); session cookies and API
// tokens are 256-bit random values stored only as their SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** Why a new password is refused, or null if it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `a password needs at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `a password has at most ${PASSWORD_MAX} characters`;
  if (password.trim().length === 0) return 'a password cannot be only spaces';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

// Verified in place of a user's hash when there is none to check against
// (an unknown address) or the password cannot be right (over-long), so that
// every answer costs the same one verification of at most PASSWORD_MAX
// characters: its time tells nothing about which addresses exist.
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  dummyHash ??= hashPassword(randomToken());
  const dummy = await dummyHash;
  const possible = stored !== null && password.length <= PASSWORD_MAX;
  const good = await verify(possible ? stored : dummy, password.slice(0, PASSWORD_MAX)).catch(() => false);
  return possible && good;
}

/** 32 random bytes, base64url (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A password for a new account, given once: 20 characters from an unambiguous alphabet (about 113 bits). */
export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(40);
  let out = '';
  for (const b of bytes) {
    // Rejection sampling: no character is likelier than another.
    if (b >= 256 - (256 % alphabet.length)) continue;
    out += alphabet[b % alphabet.length];
    if (out.length === 20) break;
  }
  return out.length === 20 ? out : randomPassword();
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** API tokens carry a prefix, so that a leaked one is recognisable in logs and secret scanners. */
export const API_TOKEN_PREFIX = 'tm_';
