import type { Metadata } from 'next';
import Link from 'next/link';
import { HorizontalBars } from '@/components/charts/bar-chart';
import { ChartFrame } from '@/components/charts/chart-frame';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { Headline } from '@/components/layout/headline';
import { describePeriod } from '@/lib/filters';
import { formatCount, formatInstantUtc, formatMedian, formatPercent } from '@/lib/format';
import { getBreakdown, getSpread, getSummary, getVolumes } from '@/lib/metrics';
import { CHART } from '@/lib/metrics/summary';
import { entityTitle, readEntityPage } from '@/lib/entity-page';
import type { SearchParams } from '@/lib/page-filters';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

const LOW_N = 5;

type Props = { params: Promise<{ code: string }>; searchParams: Promise<SearchParams> };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: { absolute: await entityTitle('group', params, 'Groups') } };
}

export default async function GroupPage({ params, searchParams }: Props) {
  const principal = await requirePage('/groups/[code]');
  const page = await readEntityPage('group', params, searchParams);
  const { code, name, sources, options, query } = page;
  const { data } = sources;
  if (!page.filters) return <UnreadableFilters title={name} options={options} error={page.error!} />;
  const filters = page.filters;
  const period = describePeriod(filters);
  const asOfText = formatInstantUtc(filters.asOf);
  await nextTurn();
  const summary = getSummary(data, filters, CHART);
  // Where its content stays up longest: providers by Kaplan–Meier median, slowest first (not reached counts as slowest).
  await nextTurn();
  const platforms = [...getBreakdown(data, filters, 'platform', CHART).rows].sort(
    (a, b) => (b.km_median ?? Infinity) - (a.km_median ?? Infinity) || (b.max_follow_up ?? 0) - (a.max_follow_up ?? 0),
  );
  await nextTurn();
  const languages = getVolumes(data, filters, 'language').rows;
  await nextTurn();
  const spread = getSpread(data, filters, principal, 20);

  return (
    <>
      <p className="breadcrumb">
        <Link href={`/groups?${query}`}>Groups</Link> › {name}
      </p>
      <h1>{name}</h1>
      <p className="subtitle">
        Referrals of content attributed to {name} {period}, as of {asOfText}.
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      <section aria-label="Headline figures" className="headline">
        <Headline label="Referrals" value={formatCount(summary.total)} detail={`${formatCount(summary.excluded)} already unavailable`} kind="count" />
        <Headline
          label="Removal rate (snapshot)"
          value={summary.removal_rate === null ? '–' : formatPercent(summary.removal_rate)}
          detail={`${formatCount(summary.actioned)} of ${formatCount(summary.n)}`}
          kind="share"
          lowN={summary.n < LOW_N}
        />
        <Headline label="Median time to removal" value={formatMedian(summary.km_median, summary.max_follow_up)} detail="Kaplan–Meier" kind="hours" />
        <Headline label="Still online after 7 days" value={formatCount(summary.open_over_7_days)} detail="open items referred 7 days or more before as of" kind="count" />
      </section>

      <h2 id="stays-up">Where its content stays up longest</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
        <table aria-labelledby="stays-up">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col" className="num">
                Referrals
              </th>
              <th scope="col" className="num">
                Median time to removal
              </th>
              <th scope="col" className="num">
                Removal rate
              </th>
              <th scope="col" className="num">
                Still online after 7 days
              </th>
            </tr>
          </thead>
          <tbody>
            {platforms.map((p) => (
              <tr key={p.key}>
                <th scope="row">
                  <Link href={`/providers/${encodeURIComponent(p.key)}?${query}`}>{p.name}</Link>
                  {p.n < LOW_N && <span className="low-n">low n</span>}
                </th>
                <td className="num">{formatCount(p.total)}</td>
                <td className="num">{formatMedian(p.km_median, p.max_follow_up)}</td>
                <td className="num">{p.removal_rate === null ? '–' : formatPercent(p.removal_rate)}</td>
                <td className="num">{formatCount(p.open_over_7_days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <ChartFrame
        id="group-languages"
        title={`Referrals of ${name} content by language`}
        subtitle={`n = ${formatCount(summary.total)}, ${period}, as of ${asOfText}. Click a bar to filter by it.`}
        rows={languages}
        fileName={`${code}-languages`}
        columns={[
          { label: 'Language', value: (r) => r.name },
          { label: 'Code', value: (r) => r.key },
          { label: 'Referrals', value: (r) => r.count, format: (r) => formatCount(r.count), numeric: true },
        ]}
      >
        <HorizontalBars rows={languages.map((r) => ({ key: r.key, label: r.name, value: r.count }))} filterKey="language" />
      </ChartFrame>

      <h2 id="spread">The same content on several platforms</h2>
      <p className="subtitle">
        {formatCount(spread.total)} content fingerprints of {name} were referred on two or more platforms {period}
        {spread.total > spread.rows.length ? `; the ${spread.rows.length} most widespread:` : '.'} Platforms in order of first referral.
      </p>
      {spread.rows.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
          <table aria-labelledby="spread">
            <thead>
              <tr>
                <th scope="col">Fingerprint</th>
                <th scope="col" className="num">
                  Platforms
                </th>
                <th scope="col">First seen on, in order</th>
              </tr>
            </thead>
            <tbody>
              {spread.rows.map((s, k) => (
                <tr key={k}>
                  <th scope="row">{s.content_hash === null ? `Item ${k + 1}` : <code>{s.content_hash}</code>}</th>
                  <td className="num">{s.platform_count}</td>
                  <td>{s.platforms.map((p) => `${p.name} (${p.first_referred_on})`).join(' → ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
