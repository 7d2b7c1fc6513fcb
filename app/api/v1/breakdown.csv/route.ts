import { csvRoute } from '@/lib/api/csv-route';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { breakdownCsv } from '@/lib/breakdown-csv';
import { exportFileName } from '@/lib/export-name';

export const dynamic = 'force-dynamic';

/** A breakdown under the filters as CSV (API.md: exports; README: columns). */
export const GET = csvRoute(ENDPOINTS.breakdownCsv, ({ data }, { filters, extra }) => ({
  pieces: breakdownCsv(data, filters, extra.by),
  fileName: exportFileName(`breakdown-by-${extra.by.replace('_', '-')}`, filters, 'csv'),
}));
