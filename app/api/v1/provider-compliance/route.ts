import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { getProviderCompliance } from '@/lib/metrics';
import { failureSettingsInForce } from '@/lib/metrics/persistent-failure';

export const dynamic = 'force-dynamic';

// Without parameters, the rule in force (the settings file, read on each
// request); each can be overridden for one answer. The defaults are filled
// in while parsing, so that the answer cache keys on the rule applied.
export function GET(request: Request): Promise<Response> {
  const inForce = failureSettingsInForce().settings;
  const endpoint = ENDPOINTS.providerCompliance;
  const { target, months, min_orders } = endpoint.params;
  const params = {
    target: target.transform((v) => v ?? inForce.target),
    months: months.transform((v) => v ?? inForce.months),
    min_orders: min_orders.transform((v) => v ?? inForce.minOrders),
  };
  return jsonRoute({ ...endpoint, params }, ({ data }, { filters, extra }) =>
    getProviderCompliance(data, filters, { target: extra.target, months: extra.months, minOrders: extra.min_orders, hours: inForce.hours }),
  )(request);
}
