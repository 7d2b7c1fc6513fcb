import { jsonRoute } from '@/lib/api/json-route';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { FilterError } from '@/lib/filters';
import { getTransparencyReport, transparencyPeriodProblem } from '@/lib/transparency';

export const dynamic = 'force-dynamic';

/** The annual transparency report (Regulation 2021/784, Art. 8) for ?year=YYYY; the year is the period. */
export const GET = jsonRoute(ENDPOINTS.transparency, ({ data }, { filters, extra }, principal) => {
  const problem = transparencyPeriodProblem(filters);
  if (problem) throw new FilterError([problem]);
  return getTransparencyReport(data, filters, extra.year, principal);
});
