import { z } from 'zod';
import { bucketParam } from '@/lib/api/params';
import { DIMENSIONS } from '@/lib/filters';
import { jsonRoute } from '@/lib/api/json-route';
import { FilterError } from '@/lib/filters';
import { getVolumes, getVolumeSeries } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

// by=status (status at as_of) exists for time series only.
const byOrStatus = z.enum([...DIMENSIONS, 'status'], { error: `must be one of ${DIMENSIONS.join(', ')} (or status, with bucket)` }).optional();

export const GET = jsonRoute('/api/v1/volumes', { by: byOrStatus, bucket: bucketParam }, (db, { filters, extra }) => {
  if (extra.bucket) return getVolumeSeries(db, filters, extra.bucket, extra.by);
  if (!extra.by) throw new FilterError([{ param: 'by', message: 'give by (a dimension), bucket (day, week or month), or both' }]);
  if (extra.by === 'status') throw new FilterError([{ param: 'by', message: 'by=status needs bucket (day, week or month)' }]);
  return getVolumes(db, filters, extra.by);
});
