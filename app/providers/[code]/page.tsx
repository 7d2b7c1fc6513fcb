import type { Metadata } from 'next';
import Link from 'next/link';
import { HorizontalBars } from '@/components/charts/bar-chart';
import { ChartFrame } from '@/components/charts/chart-frame';
import { KmChart } from '@/components/charts/km-chart';
import { BriefingLinks } from '@/components/briefing/briefing-links';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { Headline } from '@/components/layout/headline';
import { describePeriod, type Filters } from '@/lib/filters';
import { formatCount, formatHours, formatInstantUtc, formatMedian, formatPercent, formatRate, formatUtcMinute } from '@/lib/format';
import { getComparison, getOldestOpen, getProviderCompliance, getSummary, getVolumes } from '@/lib/metrics';
import { CHART } from '@/lib/metrics/summary';
import { entityTitle, readEntityPage } from '@/lib/entity-page';
import type { SearchParams } from '@/lib/page-filters';
import { getOldestOpenReferrals } from '@/lib/referrals';
import { may } from '@/lib/auth/roles';
import { audit } from '@/lib/auth/audit';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

const LOW_N = 5;

type Props = { params: Promise<{ code: string }>; searchParams: Promise<SearchParams> };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: { absolute: await entityTitle('platform', params, 'Providers') } };
}

export default async function ProviderPage({ params, searchParams }: Props) {
  const principal = await requirePage('/providers/[code]');
  const page = await readEntityPage('platform', params, searchParams);
  const { code, name, sources, options, query } = page;
  const { store, data } = sources;
  if (!page.filters) return <UnreadableFilters title={name} options={options} error={page.error!} />;
  const filters = page.filters;
  const orders: Filters = { ...filters, values: { ...filters.values, kind: ['removal_order'] } };
  await nextTurn();
  const comparison = filters.from && filters.to ? getComparison(data, filters, CHART) : null;
  await nextTurn();
  const summary = comparison?.current ?? getSummary(data, filters, CHART);
  await nextTurn();
  const ordersSummary = getSummary(data, orders, CHART);
  await nextTurn();
  const failures = getProviderCompliance(data, filters).providers.find((p) => p.key === code);
  // The items themselves (URLs, referral ids) are for analysts; a viewer learns how many.
  const seesRecords = may(principal, 'records');
  await nextTurn();
  const open = seesRecords ? await getOldestOpenReferrals(sources, principal, filters, { limit: 20 }) : { total: getOldestOpen(data, filters, 20).total, rows: [] };
  if (seesRecords) audit(store, { actor: principal, action: 'record_view', outcome: 'allowed', target: `/providers/${code}`, filters: new URLSearchParams(query), detail: 'oldest items still online' });
  const period = describePeriod(filters);
  const asOfText = formatInstantUtc(filters.asOf);
  const c = (s: typeof summary, h: number) => s.compliance.find((x) => x.hours === h)!;
  const change = (metric: string) => comparison?.changes.find((x) => x.metric === metric);
  // The briefing of this provider: the page's filters with the provider as the platform filter.
  const briefingQuery = new URLSearchParams(query);
  briefingQuery.set('platform', code);

  return (
    <>
      <p className="breadcrumb">
        <Link href={`/providers?${query}`}>Providers</Link> › {name}
      </p>
      <h1>{name}</h1>
      <p className="subtitle">
        Referrals and removal orders sent to {name} {period}, as of {asOfText}.
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      <BriefingLinks query={briefingQuery.toString()} />

      <section aria-label="Headline figures" className="headline">
        <Headline label="Referrals" value={formatCount(summary.total)} detail={`${formatCount(summary.excluded)} already unavailable`} change={change('total')} kind="count" />
        <Headline
          label="Removal rate (snapshot)"
          value={summary.removal_rate === null ? '–' : formatPercent(summary.removal_rate)}
          detail={`${formatCount(summary.actioned)} of ${formatCount(summary.n)} removed or disabled`}
          change={change('removal_rate')}
          kind="share"
          lowN={summary.n < LOW_N}
        />
        <Headline
          label="Median time to removal"
          value={formatMedian(summary.km_median, summary.max_follow_up)}
          detail={summary.km_median === null ? 'Kaplan–Meier' : `95%: ${formatHours(summary.km_median_lower)}–${summary.km_median_upper === null ? 'not reached' : formatHours(summary.km_median_upper)}`}
          change={change('km_median')}
          kind="hours"
        />
        <Headline
          label="Removal orders within 1 hour"
          value={formatRate(c(ordersSummary, 1).rate, c(ordersSummary, 1).lower, c(ordersSummary, 1).upper)}
          detail={`${formatCount(c(ordersSummary, 1).on_time)} of ${formatCount(c(ordersSummary, 1).eligible)} orders at least 1 hour old`}
          kind="share"
          lowN={c(ordersSummary, 1).eligible < LOW_N}
        />
        <Headline
          label="Time to acknowledge orders"
          value={ordersSummary.time_to_acknowledge.n ? formatHours(ordersSummary.time_to_acknowledge.median) : '–'}
          detail={`median of ${formatCount(ordersSummary.time_to_acknowledge.n)}; p90 ${formatHours(ordersSummary.time_to_acknowledge.p90)}`}
          kind="hours"
        />
        <Headline label="Still online after 7 days" value={formatCount(summary.open_over_7_days)} detail={`${formatCount(open.total)} open in all`} change={change('open_over_7_days')} kind="count" />
      </section>

      <ChartFrame
        id="km-provider"
        title={`Share still online at ${name}, by time since referral`}
        subtitle={`Kaplan–Meier estimate with 95% interval; n = ${formatCount(summary.n)}, ${period}, as of ${asOfText}.`}
        rows={summary.km}
        fileName={`${code}-time-to-removal`}
        lowN={summary.n < LOW_N}
        columns={[
          { label: 'Hours since clock start', value: (r) => r.time, format: (r) => formatHours(r.time), numeric: true },
          { label: 'At risk', value: (r) => r.n_risk, numeric: true },
          { label: 'Removed', value: (r) => r.n_event, numeric: true },
          { label: 'Still online', value: (r) => r.surv, format: (r) => formatRate(r.surv, r.lower, r.upper), numeric: true },
          { label: 'Lower 95%', value: (r) => r.lower },
          { label: 'Upper 95%', value: (r) => r.upper },
        ]}
      >
        <KmChart series={[{ key: code, name, colourIndex: 0, points: summary.km }]} maxTime={Math.max(1, summary.max_follow_up ?? 1)} />
      </ChartFrame>

      <h2 id="deadlines">Compliance at each deadline</h2>
      <table aria-labelledby="deadlines">
        <thead>
          <tr>
            <th scope="col">Deadline</th>
            <th scope="col" className="num">
              All referrals
            </th>
            <th scope="col" className="num">
              Removal orders
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.compliance.map((row) => {
            const o = c(ordersSummary, row.hours);
            return (
              <tr key={row.hours}>
                <th scope="row">Within {formatHours(row.hours)}</th>
                <td className="num">
                  {formatRate(row.rate, row.lower, row.upper)} <span className="interval">of {formatCount(row.eligible)}</span>
                </td>
                <td className="num">
                  {formatRate(o.rate, o.lower, o.upper)} <span className="interval">of {formatCount(o.eligible)}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2 id="failure">One-hour compliance of removal orders by month</h2>
      <p className="subtitle">
        {failures?.flagged ? (
          <strong>Flagged for persistent failure: {failures.triggering_months.join(', ')}.</strong>
        ) : (
          'Not flagged for persistent failure.'
        )}{' '}
        A month is judged when at least 5 orders are eligible; 3 judged months in a row below 90% flag the provider.
      </p>
      {failures && failures.months.length > 0 ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
          <table aria-labelledby="failure">
            <thead>
              <tr>
                <th scope="col">Month of referral</th>
                <th scope="col" className="num">
                  Eligible orders
                </th>
                <th scope="col" className="num">
                  Within 1 hour
                </th>
                <th scope="col">Judged</th>
              </tr>
            </thead>
            <tbody>
              {failures.months.map((m) => (
                <tr key={m.month} className={failures.triggering_months.includes(m.month) ? 'selected' : undefined}>
                  <th scope="row">{m.month}</th>
                  <td className="num">{formatCount(m.eligible)}</td>
                  <td className="num">{m.judged ? formatRate(m.rate, m.lower, m.upper) : m.eligible < LOW_N ? `< ${LOW_N} orders` : formatRate(m.rate)}</td>
                  <td>{m.judged ? (m.below_target ? 'below target' : 'met') : 'not judged'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No removal orders to this provider under these filters.</p>
      )}

      <div className="columns">
        {(
          [
            ['by-group', 'Referrals by attributed group', 'group'],
            ['by-language', 'Referrals by language', 'language'],
            ['by-content-type', 'Referrals by content type', 'content_type'],
          ] as const
        ).map(([id, title, by]) => {
          const rows = getVolumes(data, filters, by).rows;
          return (
            <ChartFrame
              key={id}
              id={id}
              title={`${title} at ${name}`}
              subtitle={`n = ${formatCount(summary.total)}, ${period}, as of ${asOfText}. Click a bar to filter by it.`}
              rows={rows}
              fileName={`${code}-${id}`}
              columns={[
                { label: 'Value', value: (r) => r.name },
                { label: 'Code', value: (r) => r.key },
                { label: 'Referrals', value: (r) => r.count, format: (r) => formatCount(r.count), numeric: true },
              ]}
            >
              <HorizontalBars rows={rows.map((r) => ({ key: r.key, label: r.name, value: r.count }))} filterKey={by} />
            </ChartFrame>
          );
        })}
      </div>

      <h2 id="oldest-open">Oldest items still online</h2>
      <p className="subtitle">
        {formatCount(open.total)} referrals to {name} are open at {asOfText}
        {!seesRecords ? '. The items themselves, with their URLs, are shown to analysts.' : open.total > open.rows.length ? `; the ${open.rows.length} oldest:` : '.'}
      </p>
      {open.rows.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
          <table className="records" aria-labelledby="oldest-open">
            <thead>
              <tr>
                <th scope="col">Referral</th>
                <th scope="col">Kind</th>
                <th scope="col">Referred (UTC)</th>
                <th scope="col" className="num">
                  Online for
                </th>
                <th scope="col">Group</th>
                <th scope="col">URL</th>
              </tr>
            </thead>
            <tbody>
              {open.rows.map((r) => (
                <tr key={r.referral_id}>
                  <th scope="row">{r.referral_id}</th>
                  <td>{r.kind === 'removal_order' ? 'Removal order' : 'Referral'}</td>
                  <td>{formatUtcMinute(r.referred_at)}</td>
                  <td className="num">{formatHours(r.exposure_hours)}</td>
                  <td>{r.group_name}</td>
                  {/* Live terrorist content: shown as text, never as a link. */}
                  <td className="url">{r.url}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
