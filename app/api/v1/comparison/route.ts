import { jsonRoute } from '@/lib/api/json-route';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { getComparison } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(ENDPOINTS.comparison, (db, { filters, extra }) => getComparison(db, filters, { kmPoints: extra.km_points }));
