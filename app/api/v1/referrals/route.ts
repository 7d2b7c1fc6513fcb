import { intParam, recordSelectionParams, referralSortParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getReferrals } from '@/lib/referrals';
import { audit } from '@/lib/auth/audit';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(
  '/api/v1/referrals', {
    page: intParam(1, 1_000_000, 1),
    page_size: intParam(1, 500, 50),
    sort: referralSortParam,
    ...recordSelectionParams,
  },
  (db, { filters, extra }, principal) => getReferrals(db, principal, filters, {
      page: extra.page,
      pageSize: extra.page_size,
      sort: extra.sort ?? '-referred_at',
      status: extra.status,
      reason: extra.reason,
    }),
  // Every answer is a record view in the audit trail.
  { onAnswer: (db, principal, url) => audit(db, { actor: principal, action: 'record_view', outcome: 'allowed', target: url.pathname, filters: url.searchParams }) },
);
