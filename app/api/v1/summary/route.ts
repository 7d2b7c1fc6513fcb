import { jsonRoute } from '@/lib/api/json-route';
import { getSummary } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute({}, (db, { filters }) => getSummary(db, filters));
