// Pages read the same filters as the API, from Next's searchParams.
import { FilterError, parseFilters, type ExtraParams, type Parsed } from '@/lib/filters';

export type SearchParams = Record<string, string | string[] | undefined>;

export function toUrlSearchParams(searchParams: SearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return params;
}

export type PageFilters<E extends ExtraParams> = { ok: true; parsed: Parsed<E>; query: string } | { ok: false; error: FilterError };

/** Parses a page's filters; a bad link becomes an explanation, never an error page. */
export function readPageFilters<E extends ExtraParams>(searchParams: SearchParams, extra: E = {} as E): PageFilters<E> {
  const params = toUrlSearchParams(searchParams);
  try {
    return { ok: true, parsed: parseFilters(params, extra), query: params.toString() };
  } catch (err) {
    if (err instanceof FilterError) return { ok: false, error: err };
    throw err;
  }
}
