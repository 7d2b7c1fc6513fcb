// What every page about one provider, group or campaign reads first: the
// entity from the path (404 when unknown), and the URL filters with the
// entity's own filter fixed.
import { notFound } from 'next/navigation';
import { sourcesNow, type Sources } from '@/lib/sources';
import { getFilterOptions, type FilterOptions } from '@/lib/filter-options';
import type { FilterError, Filters } from '@/lib/filters';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';

export type EntityDimension = 'platform' | 'group' | 'campaign';

export interface EntityPage {
  code: string;
  name: string;
  sources: Sources;
  options: FilterOptions;
  /** The URL's query string, for links that keep the filters. */
  query: string;
  /** The URL filters with the entity fixed; null when they cannot be read (then `error` says why). */
  filters: Filters | null;
  error: FilterError | null;
}

function entityName(options: FilterOptions, dimension: EntityDimension, code: string): string | null {
  return options[dimension].find((o) => o.value === code)?.label ?? null;
}

export async function readEntityPage(dimension: EntityDimension, params: Promise<{ code: string }>, searchParams: Promise<SearchParams>): Promise<EntityPage> {
  const { code } = await params;
  const sources = await sourcesNow();
  const options = getFilterOptions(sources.data);
  const name = entityName(options, dimension, code);
  if (name === null) notFound();
  const read = readPageFilters(await searchParams);
  const base = { code, name, sources, options };
  if (!read.ok) return { ...base, query: '', filters: null, error: read.error };
  return { ...base, query: read.query, filters: { ...read.parsed.filters, values: { ...read.parsed.filters.values, [dimension]: [code] } }, error: null };
}

/** "<name> · <section> · Takedown Monitor" for the page title. */
export async function entityTitle(dimension: EntityDimension, params: Promise<{ code: string }>, section: string): Promise<string> {
  const { code } = await params;
  return `${entityName(getFilterOptions((await sourcesNow()).data), dimension, code) ?? `Unknown ${dimension}`} · ${section} · Takedown Monitor`;
}
