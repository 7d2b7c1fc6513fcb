import type { Metadata } from 'next';
import { getStore } from '@/db/open';
import { requirePage } from '@/lib/auth/dal';
import { sessionLimits } from '@/lib/auth/authenticate';
import { ROLE_WORDS } from '@/lib/auth/roles';
import { listApiTokens, listUsers } from '@/lib/auth/accounts';
import { formatInstantUtc } from '@/lib/format';
import type { SearchParams } from '@/lib/page-filters';
import { requestTime } from '@/lib/request-time';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePage('/admin/users');
  const store = getStore();
  const done = (await searchParams).done;
  const now = requestTime();
  const users = await listUsers(store, now, sessionLimits());
  const tokens = (await listApiTokens(store)).filter((t) => t.revoked_at === null);
  return (
    <>
      <h1>Users</h1>
      <p>
        Add users, set passwords and make API tokens with <code>npm run user -- add|list|disable|reset-password|token</code> on the server (README: users).
        Here an administrator can disable a user (every session of theirs ends and every API token is revoked at once) or revoke a token.
      </p>
      {typeof done === 'string' && <p role="status">{done}</p>}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
        <table aria-labelledby="users-heading" id="users-table">
          <caption id="users-heading">Accounts</caption>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Last sign-in (UTC)</th>
              <th scope="col" className="num">Active sessions</th>
              <th scope="col" className="num">API tokens</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row" className="inert">{u.email}</th>
                <td className="inert">{u.name}</td>
                <td>{ROLE_WORDS[u.role]}</td>
                <td>{u.last_sign_in === null ? 'never' : formatInstantUtc(u.last_sign_in)}</td>
                <td className="num">{u.active_sessions}</td>
                <td className="num">{u.api_tokens}</td>
                <td>
                  {u.disabled_at !== null ? (
                    `disabled ${formatInstantUtc(u.disabled_at)}`
                  ) : u.id === principal.userId ? (
                    'active (you)'
                  ) : (
                    <form method="post" action="/api/admin/users">
                      <input type="hidden" name="action" value="disable" />
                      <input type="hidden" name="id" value={u.id} />
                      active · <button type="submit">Disable</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="tokens">API tokens in use</h2>
      {tokens.length === 0 ? (
        <p>No API token is in use.</p>
      ) : (
        <table aria-labelledby="tokens" id="tokens-table">
          <thead>
            <tr>
              <th scope="col" className="num">Token</th>
              <th scope="col">User</th>
              <th scope="col">Label</th>
              <th scope="col">Made (UTC)</th>
              <th scope="col">Last used (UTC)</th>
              <th scope="col">Revoke</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td className="num">{t.id}</td>
                <td className="inert">{t.email}</td>
                <td className="inert">{t.label}</td>
                <td>{formatInstantUtc(t.created_at)}</td>
                <td>{t.last_used_at === null ? 'never' : formatInstantUtc(t.last_used_at)}</td>
                <td>
                  <form method="post" action="/api/admin/users">
                    <input type="hidden" name="action" value="revoke-token" />
                    <input type="hidden" name="id" value={t.id} />
                    <button type="submit">Revoke</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
