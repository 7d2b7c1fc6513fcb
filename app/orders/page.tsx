import type { Metadata } from 'next';
import Link from 'next/link';
import { ChartFrame } from '@/components/charts/chart-frame';
import { ComplianceBars } from '@/components/charts/compliance-bars';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { ReasonTable } from '@/components/tables/reason-table';
import { Headline } from '@/components/layout/headline';
import { sourcesNow } from '@/lib/sources';
import { getFilterOptions } from '@/lib/filter-options';
import { describePeriod, filterQuery, mainFilterText } from '@/lib/filters';
import { formatCount, formatHours, formatInstantUtc, formatPercent, formatRate, formatUtcMinute } from '@/lib/format';
import { getOrdersView } from '@/lib/orders';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { asKnownAt, NO_REASON_GIVEN, recordsLink } from '@/lib/referrals';
import { requirePage } from '@/lib/auth/dal';
import { may } from '@/lib/auth/roles';
import { audit } from '@/lib/auth/audit';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

const LOW_N = 5;
const PAUSED_SHOWN = 50;

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams);
  const main = read.ok ? mainFilterText(read.parsed.filters) : '';
  return { title: { absolute: `Removal orders${main ? `: ${main}` : ''} · Takedown Monitor` } };
}

export default async function OrdersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePage('/orders');
  const sources = await sourcesNow();
  const { store, data } = sources;
  const read = readPageFilters(await searchParams);
  const options = getFilterOptions(data);
  if (!read.ok) return <UnreadableFilters title="Removal orders" options={options} error={read.error} />;
  const { filters } = read.parsed;
  await nextTurn();
  const view = await getOrdersView(sources, principal, filters, { pausedLimit: PAUSED_SHOWN });
  const seesRecords = may(principal, 'records');
  if (seesRecords && view.paused.rows.length > 0)
    audit(store, { actor: principal, action: 'record_view', outcome: 'allowed', target: '/orders', filters: new URLSearchParams(read.query), detail: 'orders with a paused clock' });
  const { rule, compliance, oversight, summary } = view;
  const period = describePeriod(filters);
  const asOfText = formatInstantUtc(filters.asOf);
  const hour = summary.compliance.find((c) => c.hours === 1)!;
  const query = filterQuery(read.query);
  const declined = oversight.bands.find((b) => b.key === 'not_executed')!;
  const open = oversight.bands.find((b) => b.key === 'open')!;

  return (
    <>
      <h1>Removal orders: the one-hour rule</h1>
      <p className="subtitle">
        Removal orders {period}, as of {asOfText}. Under Regulation (EU) 2021/784 (Art. 3(3)) a provider must remove the content or disable access within one
        hour of receiving the order; the clock starts at receipt and stops while force majeure, a manifest error or missing information prevents execution (Art.
        3(7), 3(8)).
      </p>
      <FilterBar options={options} asOf={filters.asOf} />

      <section className="headline" aria-label="Headline figures">
        <Headline label="Removal orders" value={formatCount(oversight.orders)} detail={`${period}`} kind="count" />
        <Headline
          label="Executed within 1 hour"
          value={hour.rate === null ? '–' : formatPercent(hour.rate)}
          detail={hour.rate === null ? 'no order at least one hour old' : `${formatRate(hour.rate, hour.lower, hour.upper)} of ${formatCount(hour.eligible)} orders at least 1 h old`}
          kind="share"
          lowN={hour.eligible > 0 && hour.eligible < LOW_N}
        />
        <Headline label="Not executed" value={formatCount(declined.count)} detail="rejected by the provider" kind="count" />
        <Headline label="Still open" value={formatCount(open.count)} detail={`at ${asOfText}`} kind="count" />
        <Headline
          label="Time to acknowledge (median)"
          value={formatHours(summary.time_to_acknowledge.median)}
          detail={`receipt recorded for ${formatCount(summary.time_to_acknowledge.n)} orders; p90 ${formatHours(summary.time_to_acknowledge.p90)}`}
          kind="hours"
        />
      </section>

      <h2 id="escalation">Escalation list</h2>
      <p className="subtitle">
        Providers flagged for persistent failure, furthest below the {formatPercent(rule.settings.target)} target first, judged on the orders of the months that
        triggered the flag.
      </p>
      {view.escalation.length === 0 ? (
        <p>No provider is flagged under these filters.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
          <table aria-labelledby="escalation" id="escalation-table">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col" className="num">
                  Within 1 h in the flagged months
                </th>
                <th scope="col" className="num">
                  Below target by
                </th>
                <th scope="col">Months that triggered the flag</th>
                <th scope="col">Follow up</th>
              </tr>
            </thead>
            <tbody>
              {view.escalation.map((e) => {
                const briefing = new URLSearchParams(query);
                briefing.set('platform', e.key);
                return (
                  <tr key={e.key}>
                    <th scope="row">{e.name}</th>
                    <td className="num" data-value={e.rate ?? ''}>
                      {formatRate(e.rate, e.lower, e.upper)} of {formatCount(e.eligible)}
                    </td>
                    <td className="num">{Math.round(e.below_target_by * 100)} points</td>
                    <td>{e.triggering_months.join(', ')}</td>
                    <td>
                      <Link href={`/providers/${encodeURIComponent(e.key)}?${query}`}>Profile</Link> · <a href={`/briefing?${briefing}`}>Briefing</a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="rule">The persistent-failure rule in force</h2>
      {rule.problem && (
        <div role="alert" className="error-panel">
          {rule.problem}
        </div>
      )}
      <p>
        A provider is flagged when fewer than <strong>{formatPercent(rule.settings.target)}</strong> of its removal orders are executed within{' '}
        {rule.settings.hours} hour in <strong>{rule.settings.months}</strong> consecutive judged calendar months; a month with fewer than{' '}
        <strong>{rule.settings.minOrders}</strong> eligible orders is not judged and neither extends nor breaks a run. These settings
        are read from <code>{rule.file}</code> (<code>persistent_failure.target</code>, <code>months</code>, <code>min_orders</code>); an administrator changes
        them there, and the next request uses them.
      </p>

      <h2 id="monthly">One-hour compliance by provider and month</h2>
      <p className="subtitle">
        Share of removal orders executed within one hour among those at least one hour old, by calendar month of the order (UTC), with the number of eligible
        orders in brackets and the Wilson 95% interval below. ▼ below target; outlined: a month that triggered a flag; grey: not judged (fewer than{' '}
        {rule.settings.minOrders} orders).
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
        <table className="heat compliance-heat" id="monthly-compliance">
          <caption className="visually-hidden">One-hour compliance of removal orders by provider and month</caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              {view.months.map((m) => (
                <th key={m} scope="col" className="num">
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {compliance.providers.map((p) => {
              const cells = new Map(p.months.map((x) => [x.month, x]));
              const triggeringMonths = new Set(p.triggering_months);
              return (
              <tr key={p.key}>
                <th scope="row">
                  <Link href={`/providers/${encodeURIComponent(p.key)}?${query}`}>{p.name}</Link>
                  {p.flagged && <span className="flag"> flagged</span>}
                </th>
                {view.months.map((m) => {
                  const cell = cells.get(m);
                  if (!cell || cell.eligible === 0) return <td key={m} className="num">·</td>;
                  const triggering = triggeringMonths.has(m);
                  return (
                    <td
                      key={m}
                      className={`num${cell.judged ? '' : ' not-judged'}${triggering ? ' triggering' : ''}`}
                      data-value={cell.rate ?? ''}
                      title={`${formatRate(cell.rate, cell.lower, cell.upper)}: ${formatCount(cell.on_time)} of ${formatCount(cell.eligible)} within 1 h${cell.judged ? '' : '; not judged'}`}
                      // Dark text on a shade no deeper than 50%: contrast stays above WCAG AA.
                      style={cell.judged ? { background: `rgba(213, 94, 0, ${(0.05 + 0.45 * (1 - cell.rate!)).toFixed(3)})` } : undefined}
                    >
                      {cell.below_target ? '▼ ' : ''}
                      {formatPercent(cell.rate!)} <span className="cell-n">({formatCount(cell.eligible)})</span>
                      <span className="cell-ci">
                        {Math.round(cell.lower! * 100)}–{Math.round(cell.upper! * 100)}%
                      </span>
                    </td>
                  );
                })}
              </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <ChartFrame
        id="orders-bands"
        title="How fast removal orders were executed"
        subtitle={`Removal orders by response time at as of; n = ${formatCount(oversight.judged)} orders not already unavailable, ${period}, as of ${asOfText}. Response time: from receipt to removal, less paused time.`}
        rows={oversight.bands}
        fileName="removal-orders-by-response-time"
        columns={[
          { label: 'Response', value: (r) => r.label },
          { label: 'Orders', value: (r) => r.count, format: (r) => formatCount(r.count), numeric: true },
          { label: 'Share', value: (r) => r.share, format: (r) => (r.share === null ? '–' : formatPercent(r.share)), numeric: true },
        ]}
      >
        <ComplianceBars
          axisLabel="Share of removal orders"
          rows={oversight.bands
            .filter((b) => b.share !== null)
            .map((b, i) => ({ key: b.key, label: b.label, rate: b.share!, error: [0, 0] as [number, number], eligible: b.count, lowN: false, colourIndex: i }))}
        />
      </ChartFrame>

      <h2 id="not-executed">Orders not executed, by reason</h2>
      {oversight.not_executed.length === 0 ? (
        <p>No removal order was rejected by {asOfText}.</p>
      ) : (
        <ReasonTable
          id="not-executed-table"
          labelledBy="not-executed"
          rows={oversight.not_executed.map((r) => ({
            ...r,
            records: seesRecords ? recordsLink(filters, { kind: 'removal_order', status: 'declined', reason: r.reason ?? NO_REASON_GIVEN }) : undefined,
          }))}
        />
      )}

      <h2 id="acknowledge">Time to acknowledge receipt, by provider</h2>
      <table aria-labelledby="acknowledge" id="acknowledge-table">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col" className="num">
              Orders with a receipt
            </th>
            <th scope="col" className="num">
              Median
            </th>
            <th scope="col" className="num">
              p90
            </th>
            <th scope="col" className="num">
              Executed within 1 h
            </th>
          </tr>
        </thead>
        <tbody>
          {view.byProvider.map((p) => {
            const c = p.compliance.find((x) => x.hours === 1)!;
            return (
              <tr key={p.key}>
                <th scope="row">{p.name}</th>
                <td className="num">{formatCount(p.time_to_acknowledge.n)}</td>
                <td className="num">{formatHours(p.time_to_acknowledge.median)}</td>
                <td className="num">{formatHours(p.time_to_acknowledge.p90)}</td>
                <td className="num" data-value={c.rate ?? ''}>
                  {c.eligible ? `${formatRate(c.rate, c.lower, c.upper)} of ${formatCount(c.eligible)}` : '–'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2 id="paused">Orders with a paused clock</h2>
      <p className="subtitle">
        {view.paused.total === 0
          ? 'No removal order had its deadline clock paused.'
          : !seesRecords
            ? `${formatCount(view.paused.total)} removal orders had their deadline clock paused (force majeure, manifest error or missing information). The orders themselves are shown to analysts.`
            : `${formatCount(view.paused.total)} removal orders had their deadline clock paused (force majeure, manifest error or missing information); ${view.paused.total > view.paused.rows.length ? `the ${view.paused.rows.length} longest pauses:` : 'longest pause first:'}`}
      </p>
      {view.paused.rows.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
          <table aria-labelledby="paused" id="paused-table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Provider</th>
                <th scope="col">Received (UTC)</th>
                <th scope="col" className="num">
                  Paused
                </th>
                <th scope="col">Status at as of</th>
                <th scope="col" className="num">
                  Response or time open (less the pause)
                </th>
              </tr>
            </thead>
            <tbody>
              {view.paused.rows.map((p) => {
                const r = asKnownAt(p.record, filters.asOf);
                return (
                  <tr key={p.rowId}>
                    <th scope="row">{r.referral_id}</th>
                    <td>{r.platform_name}</td>
                    <td>{formatUtcMinute(r.received_at)}</td>
                    <td className="num">{formatHours(p.paused_hours)}</td>
                    <td>{p.status === 'actioned' ? 'executed' : p.status === 'declined' ? 'not executed' : p.status === 'open' ? 'still open' : 'already unavailable'}</td>
                    <td className="num">{formatHours(p.hours)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {seesRecords && (
        <p>
          <Link href={recordsLink(filters, { kind: 'removal_order' })}>All removal orders under these filters in the records view</Link>
        </p>
      )}
    </>
  );
}
