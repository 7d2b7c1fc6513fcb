import { intParam, shareParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getProviderCompliance } from '@/lib/metrics';
import { DEFAULT_FAILURE_SETTINGS as D } from '@/lib/metrics/persistent-failure';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(
  { target: shareParam(D.target), months: intParam(1, 24, D.months), min_orders: intParam(1, 10_000, D.minOrders) },
  (db, { filters, extra }) =>
    getProviderCompliance(db, filters, { target: extra.target, months: extra.months, minOrders: extra.min_orders, hours: D.hours }),
);
