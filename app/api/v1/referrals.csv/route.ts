import { csvRoute } from '@/lib/api/csv-route';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { exportFileName } from '@/lib/export-name';
import { referralsCsv } from '@/lib/referrals';

export const dynamic = 'force-dynamic';

/** The records under the filters as CSV, streamed (API.md: exports; README: columns). */
export const GET = csvRoute(ENDPOINTS.referralsCsv, ({ store }, { filters, extra }, principal) => ({
  pieces: referralsCsv(store, principal, filters, { sort: extra.sort ?? '-referred_at', status: extra.status, reason: extra.reason }),
  fileName: exportFileName('referrals', filters, 'csv'),
}));
