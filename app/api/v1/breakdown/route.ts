import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { getBreakdown } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(ENDPOINTS.breakdown, ({ data }, { filters, extra }) =>
  getBreakdown(data, filters, extra.by, { kmPoints: extra.km_points }),
);
