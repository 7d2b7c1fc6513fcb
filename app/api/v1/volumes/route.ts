import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { FilterError } from '@/lib/filters';
import { getVolumes, getVolumeSeries } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(ENDPOINTS.volumes, ({ data }, { filters, extra }) => {
  if (extra.bucket) return getVolumeSeries(data, filters, extra.bucket, extra.by);
  if (!extra.by) throw new FilterError([{ param: 'by', message: 'give by (a dimension), bucket (day, week or month), or both' }]);
  if (extra.by === 'status') throw new FilterError([{ param: 'by', message: 'by=status needs bucket (day, week or month)' }]);
  return getVolumes(data, filters, extra.by);
});
