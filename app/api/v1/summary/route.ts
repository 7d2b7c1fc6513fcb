import { intParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getSummary } from '@/lib/metrics';
import { DEFAULT_KM_POINTS } from '@/lib/metrics/summary';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/summary', { km_points: intParam(2, 100_000, DEFAULT_KM_POINTS) }, (db, { filters, extra }) =>
  getSummary(db, filters, { kmPoints: extra.km_points }),
);
