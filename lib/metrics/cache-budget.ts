// How much memory the caches of computed figures may hold (issue 14): by
// bytes, so that no request, however large its answer, can make a cache
// grow past its budget. One entry may take at most an eighth of a budget.
/** Figures computed from the fact columns (lib/metrics/fact-store.ts memo). */
export const METRICS_CACHE_BYTES = 128 * 1024 * 1024;
/** JSON answers of the API (lib/api/json-route.ts). */
export const API_CACHE_BYTES = 64 * 1024 * 1024;
