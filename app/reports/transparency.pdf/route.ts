import { yearParam } from '@/lib/api/params';
import { pdfRoute } from '@/lib/briefing/pdf-route';
import { exportFileName } from '@/lib/export-name';
import { transparencyPeriodProblem, yearFilters } from '@/lib/transparency';

export const dynamic = 'force-dynamic';

/** The transparency report of a year as an A4 PDF, through the briefing machinery. */
export const GET = pdfRoute(
  '/reports/transparency.pdf',
  '/reports/transparency',
  { year: yearParam },
  ({ filters, extra }) => exportFileName('transparency-report', yearFilters(filters, extra.year), 'pdf'),
  // Refused here, before the renderer is asked, as the page would refuse it.
  ({ filters }) => transparencyPeriodProblem(filters),
);
