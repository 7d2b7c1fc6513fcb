import { replaceStore } from '@/db/open';
import type { Store } from '@/db/store';
import { ROLES, type Role } from '@/lib/auth/roles';
import { createApiToken, findUserByEmail, insertUser } from '@/lib/auth/accounts';

const tokens = new Map<Role, string>();

/** A user of each role with an API token on `db` (idempotent); the tokens by role. */
export async function testTokens(store: Store): Promise<Map<Role, string>> {
  const out = new Map<Role, string>();
  await store.write(async (tx) => {
    for (const role of ROLES) {
      const email = `${role}@test.example`;
      // No password: these users only ever authenticate with their token.
      const id = (await findUserByEmail(tx, email))?.id ?? (await insertUser(tx, { email, name: `Test ${role}`, role, passwordHash: '!' }, Date.now()));
      out.set(role, (await createApiToken(tx, id, 'tests', Date.now())).token);
    }
  }, { waitMs: 10_000 });
  return out;
}

/** Route handlers read the app's shared connection: point it at a test database (with a user of every role). */
export async function useDatabase(store: Store | undefined): Promise<void> {
  tokens.clear();
  replaceStore(store);
  if (store) for (const [role, token] of await testTokens(store)) tokens.set(role, token);
}

/** A request carrying the API token of a user of `role` (default admin), or none for null. */
export function request(url: string, init: RequestInit = {}, role: Role | null = 'admin'): Request {
  const headers = new Headers(init.headers);
  if (role) {
    const token = tokens.get(role);
    if (!token) throw new Error('call useDatabase(db) first');
    headers.set('Authorization', `Bearer ${token}`);
  }
  return new Request(url, { ...init, headers });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON answer of any route; each test reads the fields it checks
export async function call(handler: (request: Request) => Promise<Response>, path: string, role: Role | null = 'admin'): Promise<{ status: number; body: any; response: Response }> {
  const response = await handler(request(`http://localhost${path}`, {}, role));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, response };
}
