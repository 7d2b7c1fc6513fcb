import type { Metadata } from 'next';
import { sourcesNow } from '@/lib/sources';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { HeatTable, type HeatTableData } from '@/components/tables/heat-table';
import { getFilterOptions } from '@/lib/filter-options';
import { describePeriod, mainFilterText } from '@/lib/filters';
import { formatInstantUtc } from '@/lib/format';
import { getMatrix, getVolumeMatrix } from '@/lib/metrics';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams);
  const main = read.ok ? mainFilterText(read.parsed.filters) : '';
  return { title: { absolute: `Groups${main ? `: ${main}` : ''} · Takedown Monitor` } };
}

export default async function GroupsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('/groups');
  const sources = await sourcesNow();
  const { data } = sources;
  const options = getFilterOptions(data);
  const read = readPageFilters(await searchParams);
  if (!read.ok) return <UnreadableFilters title="Groups" options={options} error={read.error} />;
  const filters = read.parsed.filters;
  const period = describePeriod(filters);
  const asOfText = formatInstantUtc(filters.asOf);

  // Volume by group over time, as a group × month table.
  await nextTurn();
  const overTime = getVolumeMatrix(data, filters, 'month', 'group');
  await nextTurn();
  const byPlatform = getMatrix(data, filters, 'group', 'platform');
  await nextTurn();
  const byLanguage = getMatrix(data, filters, 'group', 'language');
  const sortRows = <M extends HeatTableData>(m: M): HeatTableData => ({ columns: m.columns, rows: [...m.rows].sort((a, b) => b.total - a.total) });
  const groupHref = (key: string) => `/groups/${encodeURIComponent(key)}?${read.query}`;

  return (
    <>
      <h1>Groups: whose content is referred, where and in which language</h1>
      <p className="subtitle">
        Referrals {period}, as of {asOfText}, by the organisation the content is attributed to. Shade shows the count; every count is written.
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      <HeatTable id="groups-over-time" caption={`Referrals per month of referral, by group (${period})`} data={overTime} rowHeading="Group" rowHref={groupHref} />
      <HeatTable id="groups-by-platform" caption={`Referrals by group and platform (${period})`} data={sortRows(byPlatform)} rowHeading="Group" rowHref={groupHref} />
      <HeatTable id="groups-by-language" caption={`Referrals by group and language (${period})`} data={sortRows(byLanguage)} rowHeading="Group" rowHref={groupHref} />
    </>
  );
}
