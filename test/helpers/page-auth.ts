// Server components rendered in tests read who asks through next/headers:
// tests mock it with `headersMock` and choose the user with signInPagesAs.
import type { Db } from '@/db/sqlite/client';
import type { Role } from '@/lib/auth/roles';
import { testTokens } from './http';

const state = { authorization: null as string | null };

export const headersMock = {
  headers: () => Promise.resolve(new Headers(state.authorization ? { authorization: state.authorization } : {})),
};

/** Pages rendered from now on are asked by a user of `role` on `db` (null: nobody signed in). */
export function signInPagesAs(db: Db, role: Role | null): void {
  state.authorization = role ? `Bearer ${testTokens(db).get(role)}` : null;
}
