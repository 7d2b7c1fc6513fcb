import type { Metadata } from 'next';
import { sourcesNow } from '@/lib/sources';
import { HorizontalBars } from '@/components/charts/bar-chart';
import { ChartFrame } from '@/components/charts/chart-frame';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { HeatTable, type HeatTableData } from '@/components/tables/heat-table';
import { getFilterOptions } from '@/lib/filter-options';
import { describePeriod, mainFilterText } from '@/lib/filters';
import { formatCount, formatInstantUtc, formatMedian, formatPercent, formatRate } from '@/lib/format';
import { getBreakdown, getMatrix, getVolumes } from '@/lib/metrics';
import { CHART } from '@/lib/metrics/summary';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

const LOW_N = 5;

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams);
  const main = read.ok ? mainFilterText(read.parsed.filters) : '';
  return { title: { absolute: `Languages${main ? `: ${main}` : ''} · Takedown Monitor` } };
}

export default async function LanguagesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('/languages');
  const sources = await sourcesNow();
  const { data } = sources;
  const options = getFilterOptions(data);
  const read = readPageFilters(await searchParams);
  if (!read.ok) return <UnreadableFilters title="Languages" options={options} error={read.error} />;
  const filters = read.parsed.filters;
  const period = describePeriod(filters);
  const asOfText = formatInstantUtc(filters.asOf);
  await nextTurn();
  const volumes = getVolumes(data, filters, 'language').rows;
  await nextTurn();
  const breakdown = [...getBreakdown(data, filters, 'language', CHART).rows].sort((a, b) => b.total - a.total);
  const byTotal = (m: HeatTableData): HeatTableData => ({ columns: m.columns, rows: [...m.rows].sort((a, b) => b.total - a.total) });
  await nextTurn();
  const byPlatform = byTotal(getMatrix(data, filters, 'language', 'platform'));
  await nextTurn();
  const byGroup = byTotal(getMatrix(data, filters, 'language', 'group'));
  const within24 = (r: (typeof breakdown)[number]) => r.compliance.find((c) => c.hours === 24)!;

  return (
    <>
      <h1>Languages: what is referred in which language, and how fast it comes down</h1>
      <p className="subtitle">
        Referrals {period}, as of {asOfText}, by the main language of the content (und: undetermined; zxx: no linguistic content).
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      <ChartFrame
        id="by-language"
        title="Referrals by language of the content"
        subtitle={`n = ${formatCount(volumes.reduce((a, r) => a + r.count, 0))}, ${period}, as of ${asOfText}. Click a bar to filter by it.`}
        rows={volumes}
        fileName="referrals-by-language"
        columns={[
          { label: 'Language', value: (r) => r.name },
          { label: 'Code', value: (r) => r.key },
          { label: 'Referrals', value: (r) => r.count, format: (r) => formatCount(r.count), numeric: true },
        ]}
      >
        <HorizontalBars rows={volumes.map((r) => ({ key: r.key, label: r.name, value: r.count }))} filterKey="language" />
      </ChartFrame>

      <h2 id="language-speed">How fast content comes down, by language</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
        <table aria-labelledby="language-speed">
          <thead>
            <tr>
              <th scope="col">Language</th>
              <th scope="col" className="num">
                Referrals
              </th>
              <th scope="col" className="num">
                Removal rate
              </th>
              <th scope="col" className="num">
                Median time to removal
              </th>
              <th scope="col" className="num">
                Removed within 24 h
              </th>
              <th scope="col" className="num">
                Still online after 7 days
              </th>
            </tr>
          </thead>
          <tbody>
            {breakdown.map((r) => (
              <tr key={r.key}>
                <th scope="row">
                  {r.name} <span className="interval">({r.key})</span>
                  {r.n < LOW_N && <span className="low-n">low n</span>}
                </th>
                <td className="num">{formatCount(r.total)}</td>
                <td className="num">{r.removal_rate === null ? '–' : formatPercent(r.removal_rate)}</td>
                <td className="num">{formatMedian(r.km_median, r.max_follow_up)}</td>
                <td className="num">{formatRate(within24(r).rate, within24(r).lower, within24(r).upper)}</td>
                <td className="num">{formatCount(r.open_over_7_days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <HeatTable id="languages-by-platform" caption={`Referrals by language and platform (${period})`} data={byPlatform} rowHeading="Language" />
      <HeatTable id="languages-by-group" caption={`Referrals by language and group (${period})`} data={byGroup} rowHeading="Language" />
    </>
  );
}
