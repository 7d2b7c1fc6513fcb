import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { getMatrix } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

/** Referral counts for every pair of keys of two dimensions (the heat-map tables). */
export const GET = jsonRoute(ENDPOINTS.matrix, ({ data }, { filters, extra }) => getMatrix(data, filters, extra.rows, extra.columns));
