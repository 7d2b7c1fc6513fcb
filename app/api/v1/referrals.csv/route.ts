import { csvRoute } from '@/lib/api/csv-route';
import { recordSelectionParams, referralSortParam } from '@/lib/api/params';
import { exportFileName } from '@/lib/export-name';
import { referralsCsv } from '@/lib/referrals';

export const dynamic = 'force-dynamic';

/** The records under the filters as CSV, streamed (API.md: exports; README: columns). */
export const GET = csvRoute({ sort: referralSortParam, ...recordSelectionParams }, (db, { filters, extra }) => ({
  // Access control (a later issue) will decide who sees URLs; until then the API has no roles.
  pieces: referralsCsv(db, filters, { sort: extra.sort ?? '-referred_at', includeUrls: true, status: extra.status, reason: extra.reason }),
  fileName: exportFileName('referrals', filters, 'csv'),
}));
