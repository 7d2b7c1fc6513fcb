import { jsonRoute } from '@/lib/api/json-route';
import { kmPointsParam } from '@/lib/api/params';
import { getSummary } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/summary', { km_points: kmPointsParam }, (db, { filters, extra }) => getSummary(db, filters, { kmPoints: extra.km_points }));
