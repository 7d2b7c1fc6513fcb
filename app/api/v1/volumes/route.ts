import { bucketParam, optionalBy } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { FilterError } from '@/lib/filters';
import { getVolumes, getVolumeSeries } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute({ by: optionalBy, bucket: bucketParam }, (db, { filters, extra }) => {
  if (extra.bucket) return getVolumeSeries(db, filters, extra.bucket, extra.by);
  if (!extra.by) throw new FilterError([{ param: 'by', message: 'give by (a dimension), bucket (day, week or month), or both' }]);
  return getVolumes(db, filters, extra.by);
});
