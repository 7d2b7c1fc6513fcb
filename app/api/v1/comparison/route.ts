import { jsonRoute } from '@/lib/api/json-route';
import { kmPointsParam } from '@/lib/api/params';
import { getComparison } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/comparison', { km_points: kmPointsParam }, (db, { filters, extra }) => getComparison(db, filters, { kmPoints: extra.km_points }));
