import { intParam, recordSelectionParams, referralSortParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getReferrals } from '@/lib/referrals';

export const dynamic = 'force-dynamic';


export const GET = jsonRoute(
  {
    page: intParam(1, 1_000_000, 1),
    page_size: intParam(1, 500, 50),
    sort: referralSortParam,
    ...recordSelectionParams,
  },
  // Access control (a later issue) will decide who sees URLs; until then the API has no roles.
  (db, { filters, extra }) => getReferrals(db, filters, {
      page: extra.page,
      pageSize: extra.page_size,
      sort: extra.sort ?? '-referred_at',
      includeUrls: true,
      status: extra.status,
      reason: extra.reason,
    }),
);
