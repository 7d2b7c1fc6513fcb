// Administrators' actions from the users page: disable a user (their
// sessions end and their API tokens are revoked at once) or revoke one API
// token. Adding users and setting passwords is done with `npm run user`.
import { errorResponse } from '@/lib/api/json-route';
import { audit } from '@/lib/auth/audit';
import { guarded } from '@/lib/auth/guard';
import { CROSS_ORIGIN_REFUSED, sameOrigin } from '@/lib/auth/origin';
import { disableUser, getUser, revokeApiToken } from '@/lib/auth/accounts';

export const dynamic = 'force-dynamic';

/** An administrator's action waits this long for a database busy with an import. */
const WAIT_MS = 20_000;

export const POST = guarded('/api/admin/users', async (request, { store, principal }) => {
  if (principal.via === 'session' && !sameOrigin(request)) return errorResponse(403, CROSS_ORIGIN_REFUSED);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return errorResponse(400, 'Send a form with the fields action and id.');
  }
  const action = form.get('action');
  const idText = form.get('id');
  const id = typeof idText === 'string' && /^[1-9]\d{0,9}$/.test(idText) ? Number(idText) : null;
  if (id === null) return errorResponse(400, 'id must be a user or token number.', [{ param: 'id', message: 'not a number' }]);
  const back = (message: string) => new Response(null, { status: 303, headers: { Location: `/admin/users?done=${encodeURIComponent(message)}` } });
  if (action === 'disable') {
    const user = await getUser(store, id);
    if (!user) return errorResponse(404, `There is no user ${id}.`);
    if (user.id === principal.userId) return errorResponse(400, 'You cannot disable your own account here (use npm run user -- disable).');
    const ended = await store.write((tx) => disableUser(tx, id, Date.now()), { waitMs: WAIT_MS });
    audit(store, { actor: principal, action: 'user_disable', outcome: 'allowed', target: user.email, detail: `${ended.sessionsEnded} sessions ended, ${ended.tokensRevoked} API tokens revoked` });
    return back(`${user.email} is disabled: ${ended.sessionsEnded} session(s) ended, ${ended.tokensRevoked} API token(s) revoked.`);
  }
  if (action === 'revoke-token') {
    const revoked = await store.write((tx) => revokeApiToken(tx, id, Date.now()), { waitMs: WAIT_MS });
    if (!revoked) return errorResponse(404, `There is no API token ${id} in use.`);
    audit(store, { actor: principal, action: 'token_revoke', outcome: 'allowed', target: `API token ${id}` });
    return back(`API token ${id} is revoked.`);
  }
  return errorResponse(400, 'action must be disable or revoke-token.', [{ param: 'action', message: 'unknown action' }]);
});
