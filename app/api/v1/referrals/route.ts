import { z } from 'zod';
import { REFERRAL_SORTS } from '@/db/queries/referrals';
import { intParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getReferrals } from '@/lib/referrals';

export const dynamic = 'force-dynamic';

const sortValues = REFERRAL_SORTS.flatMap((s) => [s, `-${s}`]) as [string, ...string[]];

export const GET = jsonRoute(
  {
    page: intParam(1, 1_000_000, 1),
    page_size: intParam(1, 500, 50),
    sort: z.enum(sortValues, { error: `must be one of ${sortValues.join(', ')}` }).optional(),
  },
  // Access control (a later issue) will decide who sees URLs; until then the API has no roles.
  (db, { filters, extra }) => getReferrals(db, filters, { page: extra.page, pageSize: extra.page_size, sort: extra.sort ?? '-referred_at', includeUrls: true }),
);
