import type { Principal, Role } from '@/lib/auth/roles';

/** A principal of the role, for calling lib functions directly (no database row behind it). */
export function principalOf(role: Role): Principal {
  return { userId: 0, email: `${role}@test.example`, name: `Test ${role}`, role, via: 'token', credentialId: 0 };
}
