import { csvRoute } from '@/lib/api/csv-route';
import { byParam } from '@/lib/api/params';
import { breakdownCsv } from '@/lib/breakdown-csv';
import { exportFileName } from '@/lib/export-name';

export const dynamic = 'force-dynamic';

/** A breakdown under the filters as CSV (API.md: exports; README: columns). */
export const GET = csvRoute('/api/v1/breakdown.csv', { by: byParam }, (db, { filters, extra }) => ({
  pieces: breakdownCsv(db, filters, extra.by),
  fileName: exportFileName(`breakdown-by-${extra.by.replace('_', '-')}`, filters, 'csv'),
}));
