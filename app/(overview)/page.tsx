import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { sourcesNow } from '@/lib/sources';
import { ChartFrame } from '@/components/charts/chart-frame';
import { HorizontalBars } from '@/components/charts/bar-chart';
import { KmChart } from '@/components/charts/km-chart';
import { StackedSeriesChart } from '@/components/charts/stacked-series-chart';
import { BriefingLinks } from '@/components/briefing/briefing-links';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { Headline } from '@/components/layout/headline';
import { CountTable } from '@/components/tables/count-table';
import { ENGINE_WORDS, getDatabaseStatus } from '@/lib/database-status';
import { getFilterOptions } from '@/lib/filter-options';
import { describePeriod, mainFilterText, type Filters } from '@/lib/filters';
import { formatCount, formatDate, formatHours, formatInstantUtc, formatMedian, formatPercent, formatRate } from '@/lib/format';
import { formatInstant } from '@/lib/instant';
import { getComparison, getSummary, getVolumes, getVolumeSeries } from '@/lib/metrics';
import type { Change } from '@/lib/metrics/comparison';
import { CHART } from '@/lib/metrics/summary';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';
import { requestTime } from '@/lib/request-time';

// Figures come from the database at request time, never from the build.
export const dynamic = 'force-dynamic';

/** UI.md: page titles name the view and its main filter. */
export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams, extra);
  const main = read.ok ? mainFilterText(read.parsed.filters) : '';
  return { title: { absolute: `Overview${main ? `: ${main}` : ''} · Takedown Monitor` } };
}

const OUTCOME_LABELS: Record<string, string> = {
  pending: 'Pending (no outcome yet)',
  removed: 'Removed',
  disabled: 'Access disabled',
  rejected: 'Rejected by the provider',
  unavailable: 'Already unavailable when assessed',
};

const LOW_N = 5;

/** Referrals over time are stacked by ideology or by status at as_of (outcome). */
const extra = { stack: z.enum(['ideology', 'outcome'], { error: 'must be ideology or outcome' }).optional() };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('/');
  const sources = await sourcesNow();
  const { data } = sources;
  const status = await getDatabaseStatus(sources);

  if (status.total === 0) {
    return (
      <>
        <h1>No referrals yet</h1>
        <p>The database is empty. Import a batch of referral records from a referral unit:</p>
        <pre>
          <code>npm run import -- path/to/referrals.csv</code>
        </pre>
        <p>
          CSV (with a header row) or JSON; the format is described in the README and in <code>DATA-MODEL.md</code>. To explore with
          generated data instead, load the synthetic demo set with <code>npm run seed:demo</code>.
        </p>
      </>
    );
  }

  const read = readPageFilters(await searchParams, extra);
  const options = getFilterOptions(data);
  if (!read.ok) return <UnreadableFilters title="Overview" options={options} error={read.error} />;
  const filters = read.parsed.filters;
  const orders: Filters = { ...filters, values: { ...filters.values, kind: ['removal_order'] } };
  await nextTurn();
  const comparison = filters.from && filters.to ? getComparison(data, filters, CHART) : null;
  await nextTurn();
  const ordersComparison = filters.from && filters.to ? getComparison(data, orders, CHART) : null;
  await nextTurn();
  const summary = comparison?.current ?? getSummary(data, filters, CHART);
  await nextTurn();
  const ordersSummary = ordersComparison?.current ?? getSummary(data, orders, CHART);
  const period = describePeriod(filters);
  const asOfText = formatInstantUtc(filters.asOf);
  const change = (c: Change[] | undefined, metric: string) => c?.find((x) => x.metric === metric);

  const span = spanDays(filters, status);
  const bucket = span > 400 ? 'month' : span > 60 ? 'week' : 'day';
  const stack = read.parsed.extra.stack ?? 'ideology';
  await nextTurn();
  const series = getVolumeSeries(data, filters, bucket, stack === 'outcome' ? 'status' : 'ideology');
  const stackLink = (value: 'ideology' | 'outcome') => {
    const q = new URLSearchParams(read.query);
    q.set('stack', value);
    return `?${q}`;
  };
  // Each key once with its name, in order of first appearance (one pass over the series).
  const names = new Map(series.rows.map((r) => [r.key!, r.name!]));
  const ideologyKeys = [...names].map(([key, name], i) => ({ key, name, colourIndex: i }));
  const seriesData = pivot(series.rows);
  await nextTurn();
  const byGroup = getVolumes(data, filters, 'group').rows;
  await nextTurn();
  const byLanguage = getVolumes(data, filters, 'language').rows;
  await nextTurn();
  const byPlatformType = getVolumes(data, filters, 'platform_type').rows;
  const compliance24 = summary.compliance.find((c) => c.hours === 24)!;
  const orders1h = ordersSummary.compliance.find((c) => c.hours === 1)!;

  return (
    <>
      <h1>Overview</h1>
      <p className="subtitle">
        Referrals and removal orders {period}, as of {asOfText}.
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      <BriefingLinks query={read.query} />

      <section aria-labelledby="headline" className="headline">
        <h2 id="headline" className="visually-hidden">
          Headline figures
        </h2>
        <Headline
          label="Referrals"
          value={formatCount(summary.total)}
          detail={`${formatCount(summary.excluded)} already unavailable`}
          change={change(comparison?.changes, 'total')}
          kind="count"
        />
        <Headline
          label="Removal rate (snapshot)"
          value={summary.removal_rate === null ? '–' : formatPercent(summary.removal_rate)}
          detail={`${formatCount(summary.actioned)} of ${formatCount(summary.n)} removed or disabled`}
          change={change(comparison?.changes, 'removal_rate')}
          kind="share"
        />
        <Headline
          label="Median time to removal"
          value={formatMedian(summary.km_median, summary.max_follow_up)}
          detail="Kaplan–Meier, items still online counted"
          change={change(comparison?.changes, 'km_median')}
          kind="hours"
        />
        <Headline
          label="Removal orders executed within 1 hour"
          value={formatRate(orders1h.rate, orders1h.lower, orders1h.upper)}
          detail={`${formatCount(orders1h.on_time)} of ${formatCount(orders1h.eligible)} orders at least 1 hour old`}
          change={change(ordersComparison?.changes, 'compliance_1h')}
          kind="share"
          lowN={orders1h.eligible < LOW_N}
        />
        <Headline
          label="Removed within 24 hours"
          value={formatRate(compliance24.rate, compliance24.lower, compliance24.upper)}
          detail={`${formatCount(compliance24.on_time)} of ${formatCount(compliance24.eligible)} referrals at least 24 hours old`}
          change={change(comparison?.changes, 'compliance_24h')}
          kind="share"
          lowN={compliance24.eligible < LOW_N}
        />
        <Headline
          label="Still online after 7 days"
          value={formatCount(summary.open_over_7_days)}
          detail="open items referred 7 days or more before as of"
          change={change(comparison?.changes, 'open_over_7_days')}
          kind="count"
        />
      </section>
      {!comparison && <p className="note">Choose a period (from and to) to compare with the period of equal length just before.</p>}

      <ChartFrame
        id="km"
        title="Share of referred items still online, by time since referral"
        subtitle={`Kaplan–Meier estimate with 95% interval; n = ${formatCount(summary.n)} referrals (${formatCount(summary.actioned)} removed), ${period}, as of ${asOfText}. Clock starts at receipt for removal orders.`}
        rows={summary.km}
        fileName="time-to-removal"
        lowN={summary.n < LOW_N}
        columns={[
          { label: 'Hours since clock start', value: (r) => r.time, format: (r) => formatHours(r.time), numeric: true },
          { label: 'At risk', value: (r) => r.n_risk, format: (r) => formatCount(r.n_risk), numeric: true },
          { label: 'Removed', value: (r) => r.n_event, format: (r) => formatCount(r.n_event), numeric: true },
          { label: 'Still online', value: (r) => r.surv, format: (r) => formatRate(r.surv, r.lower, r.upper), numeric: true },
          { label: 'Lower 95%', value: (r) => r.lower },
          { label: 'Upper 95%', value: (r) => r.upper },
        ]}
      >
        <KmChart series={[{ key: 'all', name: 'All referrals', colourIndex: 0, points: summary.km }]} maxTime={Math.max(summary.max_follow_up ?? 1, 1)} />
      </ChartFrame>

      <ChartFrame
        id="over-time"
        title={`Referrals per ${bucket}, by ${stack === 'outcome' ? 'status at as of' : 'ideology of the attributed group'}`}
        subtitle={`n = ${formatCount(summary.total)}, ${period}, as of ${asOfText}; periods without referrals show as 0.`}
        rows={series.rows}
        fileName="referrals-over-time"
        columns={[
          { label: 'Period', value: (r) => r.period },
          { label: stack === 'outcome' ? 'Status' : 'Ideology', value: (r) => r.name ?? r.key ?? '' },
          { label: 'Referrals', value: (r) => r.count, format: (r) => formatCount(r.count), numeric: true },
        ]}
      >
        <p className="note">
          Stack by:{' '}
          <Link href={stackLink('ideology')} aria-current={stack === 'ideology' ? 'true' : undefined} scroll={false}>
            ideology
          </Link>{' '}
          ·{' '}
          <Link href={stackLink('outcome')} aria-current={stack === 'outcome' ? 'true' : undefined} scroll={false}>
            status at as of
          </Link>
        </p>
        <StackedSeriesChart data={seriesData} keys={ideologyKeys} />
      </ChartFrame>

      <div className="columns">
        {(
          [
            ['by-group', 'Referrals by attributed group', 'group', byGroup],
            ['by-language', 'Referrals by language of the content', 'language', byLanguage],
            ['by-platform-type', 'Referrals by platform type', 'platform_type', byPlatformType],
          ] as const
        ).map(([id, title, key, rows]) => (
          <ChartFrame
            key={id}
            id={id}
            title={title}
            subtitle={`n = ${formatCount(rows.reduce((a, r) => a + r.count, 0))}, ${period}, as of ${asOfText}. Click a bar to filter by it.`}
            rows={rows}
            fileName={id}
            columns={[
              { label: 'Value', value: (r) => r.name },
              { label: 'Code', value: (r) => r.key },
              { label: 'Referrals', value: (r) => r.count, format: (r) => formatCount(r.count), numeric: true },
            ]}
          >
            <HorizontalBars rows={rows.map((r) => ({ key: r.key, label: r.name, value: r.count }))} filterKey={key} />
          </ChartFrame>
        ))}
      </div>

      <section aria-labelledby="about-data" className="about-data">
        <h2 id="about-data">About the data</h2>
        <p className="subtitle">
          {formatCount(status.total)} referrals and removal orders on record, referred between {formatDate(status.firstReferredAt!)} and{' '}
          {formatDate(status.lastReferredAt!)} (UTC).
          {status.lastBatch && <> Last import: {formatInstantUtc(status.lastBatch.finishedAt)}.</>} Served from {ENGINE_WORDS[status.engine]}. Whatever the
          filters above:
        </p>
        <h3 id="by-platform">Referrals by platform</h3>
        <CountTable
          labelledBy="by-platform"
          heading="Platform"
          total={status.total}
          rows={status.byPlatform.map((p) => ({ key: p.code, label: p.name, count: p.count }))}
        />
        <h3 id="by-outcome">Referrals by recorded outcome</h3>
        <CountTable
          labelledBy="by-outcome"
          heading="Outcome"
          total={status.total}
          rows={status.byOutcome.map((o) => ({ key: o.outcome, label: OUTCOME_LABELS[o.outcome] ?? o.outcome, count: o.count }))}
        />
        <p className="subtitle">Outcomes as last recorded, whatever their date; the figures above are as of the chosen instant.</p>
      </section>
      <p className="subtitle">Figures computed {formatInstant(requestTime())}; the same values are served by the JSON API at /api/v1.</p>
    </>
  );
}

function spanDays(filters: Filters, status: { firstReferredAt: number | null }): number {
  const from = filters.from ? Date.parse(`${filters.from}T00:00:00Z`) : (status.firstReferredAt ?? filters.asOf);
  const to = filters.to ? Date.parse(`${filters.to}T00:00:00Z`) : filters.asOf;
  return (to - from) / 86_400_000;
}

function pivot(rows: { period: string; key?: string; count: number }[]): Record<string, string | number>[] {
  const out = new Map<string, Record<string, string | number>>();
  for (const r of rows) {
    const row = out.get(r.period) ?? { period: r.period };
    row[r.key ?? 'count'] = r.count;
    out.set(r.period, row);
  }
  return [...out.values()];
}
