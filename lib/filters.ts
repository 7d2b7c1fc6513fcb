// API.md, "Filters": one schema for every read endpoint and (later) every
// page. Parsed once into typed Filters; anything unknown or unparsable is a
// 400 that names the parameter. Pure: no I/O.
import { z } from 'zod';
import { CONTENT_TYPES, DIMENSIONS, IDEOLOGIES, KINDS, PLATFORM_TYPES, type Dimension } from '@/db/codes';
import { formatInstant, parseInstant } from '@/lib/instant';

// The filter vocabulary, for the filter bar's options too (the lists themselves live once in db/codes.ts).
export { CONTENT_TYPES, DIMENSIONS, IDEOLOGIES, KINDS, PLATFORM_TYPES, type Dimension };


/** Only the filter parameters of a query string: what a link to another view of the same filters carries. */
export function filterQuery(query: string): string {
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (!FILTER_PARAMS.includes(key)) params.delete(key);
  return params.toString();
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const code = z.string().regex(CODE, { error: 'is not a code (letters, digits, ".", "_" or "-")' });
/** One value of each dimension (a filter may name several, comma-separated or repeated). */
export const DIMENSION_VALUE_SCHEMAS: Record<Dimension, z.ZodType<string>> = {
  platform: code,
  platform_type: z.enum(PLATFORM_TYPES, { error: `must be one of ${PLATFORM_TYPES.join(', ')}` }),
  group: code,
  ideology: z.enum(IDEOLOGIES, { error: `must be one of ${IDEOLOGIES.join(', ')}` }),
  language: z.string().regex(/^([a-z]{2}|und|zxx)$/, { error: "is not an ISO 639-1 code (or 'und', 'zxx')" }),
  content_type: z.enum(CONTENT_TYPES, { error: `must be one of ${CONTENT_TYPES.join(', ')}` }),
  unit: code,
  campaign: code,
  kind: z.enum(KINDS, { error: `must be one of ${KINDS.join(', ')}` }),
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;


/**
 * Issue 14: the calendar a view may ask about. Periods and as_of before the
 * first referral units (2000) or after tomorrow describe nothing, and a
 * period of centuries made one request cost minutes and gigabytes; they are
 * refused in words. "Tomorrow" leaves room for clocks and time zones. `to`
 * may reach the end of next year (a year's report names its last day); no
 * work follows from it, since nothing after as_of is counted.
 */
export const EARLIEST_DAY = '2000-01-01';
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
/** Values of one dimension a filter may name (a link of the dashboard names a handful). */
export const MAX_VALUES_PER_DIMENSION = 200;

/** The last day `to` may name: 31 December of next year (UTC). */
export function latestTo(now: number): string {
  return `${new Date(now).getUTCFullYear() + 1}-12-31`;
}

/** The latest day `from` and as_of may name: tomorrow (UTC). */
export function latestDay(now: number): string {
  return new Date(Math.floor(now / DAY_MS) * DAY_MS + DAY_MS).toISOString().slice(0, 10);
}

/** ms of 00:00 UTC of a YYYY-MM-DD date, or null when it is not a real date. */
export function parseDate(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const d = new Date(ms);
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? ms : null;
}

// The filter parameters as zod schemas of one text each: parseFilters
// checks with them, and the OpenAPI document (lib/api/openapi.ts) is made
// from them (with the words of lib/api/filter-docs.ts). The calendar limits
// below are checked after them, in words.
const dayText = z
  .string()
  .transform((text, ctx) => {
    const ms = parseDate(text);
    if (ms === null) ctx.addIssue({ code: 'custom', message: `'${text}' is not a date YYYY-MM-DD` });
    return ms ?? z.NEVER;
  })
  .optional();
const instantText = z
  .string()
  .transform((text, ctx) => {
    const parsed = parseInstant(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    return parsed.ok ? parsed.ms : z.NEVER;
  })
  .optional();

export const FILTER_SCHEMAS = { from: dayText, to: dayText, as_of: instantText } as const;
export type FilterParam = keyof typeof FILTER_SCHEMAS | Dimension;

/** Every parameter of the filters (a page's own parameters, such as sort, come on top). */
export const FILTER_PARAMS: readonly string[] = [...Object.keys(FILTER_SCHEMAS), ...DIMENSIONS];

export interface Filters {
  /** First day included (YYYY-MM-DD, UTC), on referred_at. */
  from: string | null;
  /** Last day included (YYYY-MM-DD, UTC). */
  to: string | null;
  /** METRICS.md: the instant the figures describe (ms since the epoch). */
  asOf: number;
  values: Record<Dimension, string[]>;
}

export interface FilterIssue {
  param: string;
  message: string;
}

export class FilterError extends Error {
  constructor(readonly issues: FilterIssue[]) {
    super(issues.map((i) => `${i.param}: ${i.message}`).join('; '));
    this.name = 'FilterError';
  }
}

/** Extra parameters an endpoint accepts besides the filters, each a zod schema of one string. */
export type ExtraParams = Record<string, z.ZodType<unknown, string | undefined>>;

export type Parsed<E extends ExtraParams> = {
  filters: Filters;
  extra: { [K in keyof E]: z.output<E[K]> };
};

/**
 * Parses URL search parameters. Dimension values may be comma-separated or
 * repeated. Throws FilterError listing every bad parameter.
 */
export function parseFilters<E extends ExtraParams = Record<string, never>>(
  params: URLSearchParams,
  extraSchemas: E = {} as E,
  now: number = Date.now(),
): Parsed<E> {
  const issues: FilterIssue[] = [];
  const seen = new Map<string, string[]>();
  for (const [key, value] of params) {
    const list = seen.get(key) ?? [];
    list.push(value);
    seen.set(key, list);
  }
  const known = new Set<string>([...FILTER_PARAMS, ...Object.keys(extraSchemas)]);
  for (const key of seen.keys()) if (!known.has(key)) issues.push({ param: key, message: `unknown parameter; known: ${[...known].join(', ')}` });

  const single = (key: string): string | null => {
    const list = seen.get(key);
    if (!list) return null;
    if (list.length > 1) {
      issues.push({ param: key, message: 'given more than once' });
      return null;
    }
    return list[0];
  };

  // ms of a filter text given, null when absent or refused (the refusal is among the issues).
  const checked = (key: keyof typeof FILTER_SCHEMAS, text: string | null): number | null => {
    if (text === null) return null;
    const result = FILTER_SCHEMAS[key].safeParse(text);
    if (result.success) return result.data ?? null;
    issues.push({ param: key, message: result.error.issues[0].message });
    return null;
  };

  const from = single('from');
  const to = single('to');
  const fromMs = checked('from', from);
  const toMs = checked('to', to);
  const latest = latestDay(now);
  const latestMs = parseDate(latest)!;
  if (fromMs !== null && (fromMs < EARLIEST_MS || fromMs > latestMs)) issues.push({ param: 'from', message: `${from} must lie between ${EARLIEST_DAY} and ${latest} (tomorrow)` });
  if (toMs !== null && (toMs < EARLIEST_MS || toMs > parseDate(latestTo(now))!))
    issues.push({ param: 'to', message: `${to} must lie between ${EARLIEST_DAY} and ${latestTo(now)} (the end of next year)` });
  if (fromMs !== null && toMs !== null && fromMs > toMs) issues.push({ param: 'from', message: `${from} is after to=${to}` });

  const asOfText = single('as_of');
  const asOfMs = checked('as_of', asOfText);
  if (asOfMs !== null && (asOfMs < EARLIEST_MS || asOfMs >= latestMs + DAY_MS))
    issues.push({ param: 'as_of', message: `${asOfText} must lie between ${EARLIEST_DAY}T00:00:00Z and the end of ${latest} (tomorrow)` });
  // Default: now, to the whole minute (so that identical requests within a minute share a cached answer).
  const asOf = asOfMs ?? Math.floor(now / 60_000) * 60_000;

  const values = Object.fromEntries(DIMENSIONS.map((d) => [d, [] as string[]])) as Record<Dimension, string[]>;
  for (const dimension of DIMENSIONS) {
    const raw = seen.get(dimension);
    if (!raw) continue;
    const parts = raw.flatMap((v) => v.split(',')).map((v) => v.trim());
    if (parts.length > MAX_VALUES_PER_DIMENSION) {
      issues.push({ param: dimension, message: `names ${parts.length} values; at most ${MAX_VALUES_PER_DIMENSION} may be given` });
      continue;
    }
    for (const part of parts) {
      const result = DIMENSION_VALUE_SCHEMAS[dimension].safeParse(part);
      if (result.success) {
        if (!values[dimension].includes(part)) values[dimension].push(part);
      } else issues.push({ param: dimension, message: `'${part}' ${result.error.issues[0].message}` });
    }
  }

  const extra: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(extraSchemas)) {
    const value = single(key);
    const result = schema.safeParse(value ?? undefined);
    if (result.success) extra[key] = result.data;
    else issues.push({ param: key, message: result.error.issues[0].message });
  }

  if (issues.length > 0) throw new FilterError(issues);
  return { filters: { from, to, asOf, values }, extra: extra as Parsed<E>['extra'] };
}

/** The filters as echoed in every answer (API.md: "echoes as_of and the filters it applied"). */
export function describeFilters(filters: Filters): Record<string, unknown> {
  const applied: Record<string, unknown> = { as_of: formatInstant(filters.asOf) };
  if (filters.from) applied.from = filters.from;
  if (filters.to) applied.to = filters.to;
  for (const d of DIMENSIONS) if (filters.values[d].length > 0) applied[d] = filters.values[d];
  return applied;
}

/** Half-open range [start, end) of referred_at in ms for the from/to days; null ends are open. */
export function referredRange(filters: Filters): { start: number | null; end: number | null } {
  return {
    start: filters.from ? parseDate(filters.from) : null,
    end: filters.to ? parseDate(filters.to)! + 86_400_000 : null,
  };
}

/** The same filters over the period of equal length just before (METRICS.md, comparison). */
export function previousPeriod(filters: Filters): Filters | null {
  if (!filters.from || !filters.to) return null;
  const start = parseDate(filters.from)!;
  const end = parseDate(filters.to)! + 86_400_000;
  const length = end - start;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { ...filters, from: day(start - length), to: day(start - 86_400_000) };
}

/** The period in words for subtitles, e.g. "from 1 Feb 2026 to 28 Feb 2026" or "over all dates". */
export function describePeriod(filters: Filters): string {
  const day = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  if (filters.from && filters.to) return `from ${day(filters.from)} to ${day(filters.to)}`;
  if (filters.from) return `from ${day(filters.from)}`;
  if (filters.to) return `up to ${day(filters.to)}`;
  return 'over all dates';
}

/** The most telling filters in a few words, for page titles: "platform vidora, 2026-01-01 to 2026-03-31". */
export function mainFilterText(filters: Filters): string {
  const parts: string[] = [];
  for (const d of DIMENSIONS) if (filters.values[d].length) parts.push(`${d.replace('_', ' ')} ${filters.values[d].join(', ')}`);
  if (filters.from || filters.to) parts.push(`${filters.from ?? '…'} to ${filters.to ?? '…'}`);
  return parts.slice(0, 2).join('; ');
}
