import { ENDPOINTS } from '@/lib/api/endpoints';
import { refuseQuery } from '@/lib/api/no-query';
import { openApiDocument } from '@/lib/api/openapi';
import { guarded } from '@/lib/auth/guard';

export const dynamic = 'force-dynamic';

let document: string | undefined;

/** The OpenAPI 3.1 description of /api/v1, for any signed-in user (README: API). */
export const GET = guarded(ENDPOINTS.openapi.route, (request) => {
  const refused = refuseQuery(request);
  if (refused) return refused;
  document ??= JSON.stringify(openApiDocument());
  return new Response(document, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
});
