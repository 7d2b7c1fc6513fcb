// Endpoints that take no query parameters refuse any given, as the others
// refuse the ones they do not know: a mistyped parameter is never ignored
// in silence (the OpenAPI document promises as much).
import { errorResponse } from '@/lib/auth/guard';

/** A 400 naming each query parameter of `request`, or null when there are none. */
export function refuseQuery(request: Request): Response | null {
  const names = [...new Set(new URL(request.url).searchParams.keys())];
  if (names.length === 0) return null;
  return errorResponse(
    400,
    `Invalid query parameters: this endpoint takes none (${names.join(', ')} given).`,
    names.map((param) => ({ param, message: 'unknown parameter; this endpoint takes none' })),
  );
}
