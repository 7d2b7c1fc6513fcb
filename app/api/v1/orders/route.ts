import { ENDPOINTS } from '@/lib/api/endpoints';
import { jsonRoute } from '@/lib/api/json-route';
import { getOrderOversight } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

/** Removal orders: responses around the one-hour deadline, orders not executed by reason, how many had a paused clock. */
export const GET = jsonRoute(ENDPOINTS.orders, ({ data }, { filters }) => {
  const { paused, ...figures } = getOrderOversight(data, filters);
  return { ...figures, paused: paused.length };
});
