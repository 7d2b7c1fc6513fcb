import { jsonRoute } from '@/lib/api/json-route';
import { getViewsBeforeAction } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute('/api/v1/views-before-action', {}, (db, { filters }) => getViewsBeforeAction(db, filters));
