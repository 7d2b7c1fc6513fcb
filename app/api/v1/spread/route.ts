import { intParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getSpread } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/spread', { limit: intParam(1, 1000, 100) }, (db, { filters, extra }, principal) => getSpread(db, filters, principal, extra.limit));
