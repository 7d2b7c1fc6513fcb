import { byParam, intParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getBreakdown } from '@/lib/metrics';
import { DEFAULT_KM_POINTS } from '@/lib/metrics/summary';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/breakdown', { by: byParam, km_points: intParam(2, 100_000, DEFAULT_KM_POINTS) }, (db, { filters, extra }) =>
  getBreakdown(db, filters, extra.by, { kmPoints: extra.km_points }),
);
