import { byParam, kmPointsParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getBreakdown } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/breakdown', { by: byParam, km_points: kmPointsParam }, (db, { filters, extra }) =>
  getBreakdown(db, filters, extra.by, { kmPoints: extra.km_points }),
);
