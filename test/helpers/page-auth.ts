// Server components rendered in tests read who asks through next/headers:
// tests mock it with `headersMock` and choose the user with signInPagesAs.
import type { Store } from '@/db/store';
import type { Role } from '@/lib/auth/roles';
import { testTokens } from './http';

const state = { authorization: null as string | null };

export const headersMock = {
  headers: () => Promise.resolve(new Headers(state.authorization ? { authorization: state.authorization } : {})),
};

/** Pages rendered from now on are asked by a user of `role` on `db` (null: nobody signed in). */
export async function signInPagesAs(store: Store, role: Role | null): Promise<void> {
  state.authorization = role ? `Bearer ${(await testTokens(store)).get(role)}` : null;
}
