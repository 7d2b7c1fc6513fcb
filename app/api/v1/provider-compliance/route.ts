import { intParam, shareParam } from '@/lib/api/params';
import { jsonRoute } from '@/lib/api/json-route';
import { getProviderCompliance } from '@/lib/metrics';
import { failureSettingsInForce } from '@/lib/metrics/persistent-failure';

export const dynamic = 'force-dynamic';

// Without parameters, the rule in force (the settings file); each can be overridden for one answer.
export function GET(request: Request): Promise<Response> {
  const inForce = failureSettingsInForce().settings;
  return jsonRoute(
    '/api/v1/provider-compliance', { target: shareParam(inForce.target), months: intParam(1, 24, inForce.months), min_orders: intParam(1, 10_000, inForce.minOrders) },
    (db, { filters, extra }) => getProviderCompliance(db, filters, { target: extra.target, months: extra.months, minOrders: extra.min_orders, hours: inForce.hours }),
  )(request);
}
