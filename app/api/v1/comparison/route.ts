import { jsonRoute } from '@/lib/api/json-route';
import { getComparison } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/comparison', {}, (db, { filters }) => getComparison(db, filters));
