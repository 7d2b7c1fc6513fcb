import { byParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getMatrix } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

/** Referral counts for every pair of keys of two dimensions (the heat-map tables). */
export const GET = jsonRoute('/api/v1/matrix', { rows: byParam, columns: byParam }, (db, { filters, extra }) => getMatrix(db, filters, extra.rows, extra.columns));
