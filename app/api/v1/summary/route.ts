import { jsonRoute } from '@/lib/api/json-route';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { getSummary } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(ENDPOINTS.summary, ({ data }, { filters, extra }) => getSummary(data, filters, { kmPoints: extra.km_points }));
