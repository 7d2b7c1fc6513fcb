import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { getSpread } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(ENDPOINTS.spread, (db, { filters, extra }, principal) => getSpread(db, filters, principal, extra.limit));
