import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { getReferrals } from '@/lib/referrals';
import { audit } from '@/lib/auth/audit';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(
  ENDPOINTS.referrals,
  ({ store }, { filters, extra }, principal) =>
    getReferrals(store, principal, filters, {
      page: extra.page,
      pageSize: extra.page_size,
      sort: extra.sort ?? '-referred_at',
      status: extra.status,
      reason: extra.reason,
    }),
  // Every answer is a record view in the audit trail.
  { onAnswer: (store, principal, url) => audit(store, { actor: principal, action: 'record_view', outcome: 'allowed', target: url.pathname, filters: url.searchParams }) },
);
