import { jsonRoute } from '@/lib/api/json-route';
import { yearParam } from '@/lib/api/params';
import { FilterError } from '@/lib/filters';
import { getTransparencyReport } from '@/lib/transparency';

export const dynamic = 'force-dynamic';

/** The annual transparency report (Regulation 2021/784, Art. 8) for ?year=YYYY; the year is the period. */
export const GET = jsonRoute('/api/v1/transparency', { year: yearParam }, (db, { filters, extra }) => {
  if (filters.from || filters.to) throw new FilterError([{ param: filters.from ? 'from' : 'to', message: 'the year sets the period: leave out from and to' }]);
  return getTransparencyReport(db, filters, extra.year);
});
