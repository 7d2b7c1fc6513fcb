import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { getViewsBeforeAction } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(ENDPOINTS.viewsBeforeAction, ({ data }, { filters }) => getViewsBeforeAction(data, filters));
