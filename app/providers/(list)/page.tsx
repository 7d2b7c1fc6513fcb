import type { Metadata } from 'next';
import Link from 'next/link';
import { sourcesNow } from '@/lib/sources';
import { ChartFrame } from '@/components/charts/chart-frame';
import { ComplianceBars } from '@/components/charts/compliance-bars';
import { KmChart } from '@/components/charts/km-chart';
import { MonthlyLines } from '@/components/charts/monthly-lines';
import { BriefingLinks } from '@/components/briefing/briefing-links';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { getFilterOptions } from '@/lib/filter-options';
import { describePeriod, mainFilterText, type Filters } from '@/lib/filters';
import { formatCount, formatHours, formatInstantUtc, formatMedian, formatPercent, formatRate } from '@/lib/format';
import { getBreakdown, getBreakdownChanges, getMonthlyMedians, getProviderCompliance, getSummary, type BreakdownRow, type Summary } from '@/lib/metrics';
import { CHART } from '@/lib/metrics/summary';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { z } from 'zod';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

const LOW_N = 5;
/** Several curves on one chart: 80 exact steps each are plenty, and keep the page light. */
const SEVERAL_CURVES = { kmPoints: 80 };
const SORTS = ['referrals', 'removal_rate', 'median', 'compliance_1h', 'compliance_24h', 'compliance_168h', 'open_7d', 'name'] as const;
type Sort = (typeof SORTS)[number];
const extra = { sort: z.enum(SORTS, { error: `must be one of ${SORTS.join(', ')}` }).optional(), dir: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).optional() };

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams, extra);
  const main = read.ok ? mainFilterText(read.parsed.filters) : '';
  return { title: { absolute: `Providers${main ? `: ${main}` : ''} · Takedown Monitor` } };
}

function sortValue(row: BreakdownRow, sort: Sort): number | string {
  const rate = (h: number) => row.compliance.find((c) => c.hours === h)?.rate ?? -1;
  switch (sort) {
    case 'referrals':
      return row.total;
    case 'removal_rate':
      return row.removal_rate ?? -1;
    case 'median':
      return row.km_median ?? Infinity;
    case 'compliance_1h':
      return rate(1);
    case 'compliance_24h':
      return rate(24);
    case 'compliance_168h':
      return rate(168);
    case 'open_7d':
      return row.open_over_7_days;
    case 'name':
      return row.name.toLowerCase();
  }
}

export default async function ProvidersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('/providers');
  const sources = await sourcesNow();
  const { data } = sources;
  const raw = await searchParams;
  const read = readPageFilters(raw, extra);
  const options = getFilterOptions(data);
  if (!read.ok) return <UnreadableFilters title="Providers" options={options} error={read.error} />;
  const { filters, extra: params } = read.parsed;
  const sort: Sort = params.sort ?? 'referrals';
  const descending = (params.dir ?? (sort === 'name' || sort === 'median' ? 'asc' : 'desc')) === 'desc';
  const period = describePeriod(filters);
  const asOfText = formatInstantUtc(filters.asOf);

  await nextTurn();
  const breakdown = getBreakdown(data, filters, 'platform', SEVERAL_CURVES);
  await nextTurn();
  const changes = getBreakdownChanges(data, filters, 'platform', SEVERAL_CURVES);
  const removalRateChange = new Map(changes?.rows.map((r) => [r.key, r.changes.find((c) => c.metric === 'removal_rate')!.absolute]) ?? []);
  await nextTurn();
  const failures = getProviderCompliance(data, filters);
  const flagged = new Map(failures.flagged.map((f) => [f.key, f.triggering_months]));
  // Colours follow the providers' order by volume, so a provider keeps its colour in every chart here.
  const byVolume = [...breakdown.rows].sort((a, b) => b.total - a.total);
  const colour = new Map(byVolume.map((r, i) => [r.key, i]));
  const chosen = filters.values.platform.length ? byVolume.filter((r) => filters.values.platform.includes(r.key)) : byVolume.slice(0, 5);
  const rows = [...breakdown.rows].sort((a, b) => {
    const x = sortValue(a, sort);
    const y = sortValue(b, sort);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  });

  const ordersFilters: Filters = { ...filters, values: { ...filters.values, kind: ['removal_order'] } };
  await nextTurn();
  const orders = getBreakdown(data, ordersFilters, 'platform', CHART).rows;
  await nextTurn();
  const ordersSummary = getSummary(data, ordersFilters, CHART);
  await nextTurn();
  const monthly = getMonthlyMedians(data, { ...filters, values: { ...filters.values, platform: chosen.map((c) => c.key) } });
  const months = [...new Set(monthly.rows.map((r) => r.month))].sort();
  const medianOf = new Map(monthly.rows.map((r) => [`${r.month}\u0000${r.key}`, r.km_median]));
  const monthlyData = months.map((month) => {
    const point: Record<string, string | number | null> = { month };
    for (const c of chosen) {
      const median = medianOf.get(`${month}\u0000${c.key}`);
      point[c.key] = median !== undefined && median !== null ? Math.max(0.05, median) : null;
    }
    return point;
  });

  const sortLink = (key: Sort) => {
    const params = new URLSearchParams(read.query);
    const nextDescending = sort === key ? !descending : !(key === 'name' || key === 'median');
    params.set('sort', key);
    params.set('dir', nextDescending ? 'desc' : 'asc');
    return `?${params}`;
  };
  const toggleLink = (key: string) => {
    const params = new URLSearchParams(read.query);
    const list = filters.values.platform.includes(key) ? filters.values.platform.filter((p) => p !== key) : [...filters.values.platform, key];
    params.delete('platform');
    if (list.length) params.set('platform', list.join(','));
    return `?${params}`;
  };
  const header = (key: Sort, label: string, numeric = true) => (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={sort === key ? (descending ? 'descending' : 'ascending') : undefined}>
      <Link href={sortLink(key)} scroll={false}>
        {label}
        {sort === key ? (descending ? ' ▼' : ' ▲') : ''}
      </Link>
    </th>
  );
  const compliance = (row: Summary, h: number) => row.compliance.find((c) => c.hours === h)!;

  return (
    <>
      <h1>Providers: how fast content comes down</h1>
      <p className="subtitle">
        Referrals and removal orders {period}, as of {asOfText}. Items still online are counted as such (Kaplan–Meier), never dropped.
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      <BriefingLinks query={read.query} />

      <ChartFrame
        id="km-providers"
        title={`Share still online by time since referral, ${chosen.length === byVolume.length ? 'every provider' : filters.values.platform.length ? 'chosen providers' : `the ${chosen.length} providers with most referrals`}`}
        subtitle={`Kaplan–Meier estimates with 95% intervals; ${chosen.map((c) => `${c.name} n = ${formatCount(c.n)}`).join(', ')}; ${period}, as of ${asOfText}. Choose providers with the platform filter.`}
        rows={chosen.flatMap((c) => c.km.map((k) => ({ provider: c.name, ...k })))}
        fileName="time-to-removal-by-provider"
        lowN={chosen.some((c) => c.n < LOW_N)}
        columns={[
          { label: 'Provider', value: (r) => r.provider },
          { label: 'Hours since clock start', value: (r) => r.time, format: (r) => formatHours(r.time), numeric: true },
          { label: 'At risk', value: (r) => r.n_risk, numeric: true },
          { label: 'Still online', value: (r) => r.surv, format: (r) => formatRate(r.surv, r.lower, r.upper), numeric: true },
          { label: 'Lower 95%', value: (r) => r.lower },
          { label: 'Upper 95%', value: (r) => r.upper },
        ]}
      >
        <KmChart
          series={chosen.map((c) => ({ key: c.key, name: c.name, colourIndex: colour.get(c.key)!, points: c.km }))}
          maxTime={Math.max(1, ...chosen.map((c) => c.max_follow_up ?? 1))}
          height={360}
        />
      </ChartFrame>

      <h2 id="league">League table</h2>
      <p className="subtitle">
        Compliance: share removed within the deadline among referrals actioned or at least that old, with a Wilson 95% interval.{' '}
        {changes
          ? `Change: removal rate against ${changes.previous_period.from} to ${changes.previous_period.to}, in percentage points.`
          : 'Choose a period (from and to) to see the change against the previous one.'}{' '}
        Persistent failure: 1-hour compliance of removal orders below {formatPercent(failures.settings.target)} for {failures.settings.months} judged months in a
        row (months with fewer than {failures.settings.min_orders} eligible orders are not judged).
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
        <table aria-labelledby="league" className="league">
          <thead>
            <tr>
              {header('name', 'Provider', false)}
              {header('referrals', 'Referrals')}
              {header('removal_rate', 'Removal rate')}
              {header('median', 'Median time to removal (95%)')}
              {header('compliance_1h', 'Within 1 h')}
              {header('compliance_24h', 'Within 24 h')}
              {header('compliance_168h', 'Within 7 days')}
              {header('open_7d', 'Still online after 7 days')}
              <th scope="col" className="num">
                Change
              </th>
              <th scope="col">Persistent failure</th>
              <th scope="col" className="num">
                Time to acknowledge (median)
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const change = removalRateChange.get(r.key) ?? null;
              const months = flagged.get(r.key);
              return (
                <tr key={r.key} className={filters.values.platform.includes(r.key) ? 'selected' : undefined}>
                  <th scope="row">
                    <Link href={`/providers/${encodeURIComponent(r.key)}?${read.query}`}>{r.name}</Link>
                    {r.n < LOW_N && <span className="low-n">low n</span>}{' '}
                    <Link
                      href={toggleLink(r.key)}
                      scroll={false}
                      className="row-filter"
                      aria-label={filters.values.platform.includes(r.key) ? `Remove ${r.name} from the filters` : `Filter by ${r.name}`}
                    >
                      {filters.values.platform.includes(r.key) ? '−' : '+'}
                    </Link>
                  </th>
                  <td className="num">{formatCount(r.total)}</td>
                  <td className="num">{r.removal_rate === null ? '–' : formatPercent(r.removal_rate)}</td>
                  <td className="num">
                    {formatMedian(r.km_median, r.max_follow_up)}
                    {r.km_median !== null && (
                      <span className="interval">
                        {' '}
                        ({formatHours(r.km_median_lower)}–{r.km_median_upper === null ? 'not reached' : formatHours(r.km_median_upper)})
                      </span>
                    )}
                  </td>
                  {[1, 24, 168].map((h) => {
                    const c = compliance(r, h);
                    return (
                      <td key={h} className="num" title={`${formatCount(c.on_time)} of ${formatCount(c.eligible)}`}>
                        {formatRate(c.rate, c.lower, c.upper)}
                      </td>
                    );
                  })}
                  <td className="num">{formatCount(r.open_over_7_days)}</td>
                  <td className="num">{change === null ? '–' : `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(Math.round(change * 100))} points`}</td>
                  <td>{months ? <strong>Flagged: {months.join(', ')}</strong> : 'No'}</td>
                  <td className="num">
                    {r.time_to_acknowledge.n ? `${formatHours(r.time_to_acknowledge.median)} (n = ${formatCount(r.time_to_acknowledge.n)})` : '–'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <ChartFrame
        id="orders-1h"
        title="Removal orders executed within one hour, by provider"
        subtitle={`Share of removal orders at least one hour old that were executed within the hour, with Wilson 95% intervals; n = ${formatCount(compliance(ordersSummary, 1).eligible)} orders, ${period}, as of ${asOfText}. Faded bars rest on fewer than ${LOW_N} orders.`}
        rows={orders.filter((r) => (r.compliance.find((c) => c.hours === 1)?.eligible ?? 0) > 0)}
        fileName="removal-orders-within-1h"
        columns={[
          { label: 'Provider', value: (r) => r.name },
          { label: 'Eligible orders', value: (r) => compliance(r, 1).eligible, numeric: true },
          { label: 'Within 1 hour', value: (r) => compliance(r, 1).on_time, numeric: true },
          { label: 'Compliance', value: (r) => compliance(r, 1).rate, format: (r) => formatRate(compliance(r, 1).rate, compliance(r, 1).lower, compliance(r, 1).upper), numeric: true },
          { label: 'Lower 95%', value: (r) => compliance(r, 1).lower },
          { label: 'Upper 95%', value: (r) => compliance(r, 1).upper },
        ]}
      >
        <ComplianceBars
          target={failures.settings.target}
          rows={orders
            .map((r) => ({ r, c: compliance(r, 1) }))
            .filter(({ c }) => c.eligible > 0)
            .sort((a, b) => b.c.rate! - a.c.rate!)
            .map(({ r, c }) => ({
              key: r.key,
              label: r.name,
              rate: c.rate!,
              error: [c.rate! - c.lower!, c.upper! - c.rate!] as [number, number],
              eligible: c.eligible,
              lowN: c.eligible < LOW_N,
              colourIndex: colour.get(r.key) ?? 0,
            }))}
        />
      </ChartFrame>

      <ChartFrame
        id="monthly-median"
        title="Median time to removal by month of referral"
        subtitle={`Kaplan–Meier median per calendar month of referral; gaps where the median is not reached; ${chosen.map((c) => c.name).join(', ')}; ${period}, as of ${asOfText}.`}
        rows={monthly.rows}
        fileName="monthly-median-time-to-removal"
        columns={[
          { label: 'Month', value: (r) => r.month },
          { label: 'Provider', value: (r) => r.name },
          { label: 'Referrals', value: (r) => r.n, numeric: true },
          { label: 'Median (hours)', value: (r) => r.km_median, format: (r) => formatMedian(r.km_median, r.max_follow_up), numeric: true },
        ]}
      >
        <MonthlyLines data={monthlyData} series={chosen.map((c) => ({ key: c.key, name: c.name, colourIndex: colour.get(c.key)! }))} unit="hours" />
      </ChartFrame>
    </>
  );
}
