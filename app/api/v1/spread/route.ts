import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { getSpread } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(ENDPOINTS.spread, ({ data }, { filters, extra }, principal) => getSpread(data, filters, principal, extra.limit));
