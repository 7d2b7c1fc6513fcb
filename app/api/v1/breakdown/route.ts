import { byParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getBreakdown } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute({ by: byParam }, (db, { filters, extra }) => getBreakdown(db, filters, extra.by));
