// Who may do what. Roles are cumulative: each has everything of the one
// before it (issue 6): viewer < analyst < steward < admin.
import { ROLES, type Role } from '@/db/codes';

export { ROLES, type Role };

/** What a request needs; each capability belongs to the lowest role that has it. */
export const CAPABILITIES = {
  /** Aggregates, charts, briefings and the transparency report. */
  aggregates: 'viewer',
  /** Records with their URLs and referral ids. */
  records: 'analyst',
  /** CSV exports. */
  exports: 'analyst',
  /** Imports of batches, and their history. */
  import: 'steward',
  /** Users and the audit trail. */
  admin: 'admin',
} as const satisfies Record<string, Role>;

export type Capability = keyof typeof CAPABILITIES;

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, steward: 2, admin: 3 };

export const ROLE_WORDS: Record<Role, string> = {
  viewer: 'viewer (aggregates, charts and briefings)',
  analyst: 'analyst (also records with URLs, and exports)',
  steward: 'data steward (also imports)',
  admin: 'administrator (also users and the audit trail)',
};

export function roleHas(role: Role, capability: Capability): boolean {
  return RANK[role] >= RANK[CAPABILITIES[capability]];
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Who a request is: a signed-in user (session cookie) or a script (API token). */
export interface Principal {
  userId: number;
  email: string;
  name: string;
  role: Role;
  via: 'session' | 'token';
  /** The session or API token row that authenticated the request. */
  credentialId: number;
}

export class AccessDenied extends Error {
  constructor(readonly capability: Capability) {
    super(`this needs the ${CAPABILITIES[capability]} role`);
    this.name = 'AccessDenied';
  }
}

/**
 * The check made where data is read: functions that return records call it
 * with the principal they were given, so no caller can skip it.
 */
export function assertMay(principal: Principal | null, capability: Capability): asserts principal is Principal {
  if (!principal || !roleHas(principal.role, capability)) throw new AccessDenied(capability);
}

export function may(principal: Principal | null, capability: Capability): boolean {
  return principal !== null && roleHas(principal.role, capability);
}
