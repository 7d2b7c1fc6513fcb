import { jsonRoute } from '@/lib/api/json-route';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { getComparison } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(ENDPOINTS.comparison, ({ data }, { filters, extra }) => getComparison(data, filters, { kmPoints: extra.km_points }));
