import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import Link from 'next/link';
import { BriefingReady } from '@/components/briefing/briefing-ready';
import { PrintButton } from '@/components/briefing/print-button';
import { FilterErrors } from '@/components/filters/filter-errors';
import { ReasonTable } from '@/components/tables/reason-table';
import { sourcesNow } from '@/lib/sources';
import { yearParam } from '@/lib/api/params';
import { getDatabaseStatus } from '@/lib/database-status';
import { filtersInWords, getFilterOptions } from '@/lib/filter-options';
import { formatCount, formatInstantUtc, formatPercent, formatRate } from '@/lib/format';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { getTransparencyReport, transparencyPeriodProblem } from '@/lib/transparency';
import { requirePage } from '@/lib/auth/dal';
import { may } from '@/lib/auth/roles';
import { nextTurn } from '@/lib/metrics/turns';
import { STATUS_LABELS } from '@/lib/metrics/state';

export const dynamic = 'force-dynamic';

const extra = { year: yearParam.optional() };

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams, extra);
  return { title: { absolute: `Transparency report${read.ok && read.parsed.extra.year ? ` ${read.parsed.extra.year}` : ''} · Takedown Monitor` } };
}

/** A count, as a link to its records for those who may see records (an empty link otherwise). */
function Count({ c }: { c: { count: number; records: string } }) {
  return c.records ? <Link href={c.records}>{formatCount(c.count)}</Link> : <>{formatCount(c.count)}</>;
}

export default async function TransparencyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePage('/reports/transparency');
  const sources = await sourcesNow();
  const { data } = sources;
  const read = readPageFilters(await searchParams, extra);
  if (!read.ok)
    return (
      <>
        <h1>Transparency report</h1>
        <FilterErrors error={read.error} />
      </>
    );
  const { filters } = read.parsed;
  if (transparencyPeriodProblem(filters))
    return (
      <>
        <h1>Transparency report</h1>
        <div role="alert" className="error-panel" data-render-error="parameters">
          A transparency report covers one calendar year: choose the year below, without <code>from</code> and <code>to</code>.{' '}
          <Link href="/reports/transparency">Start again</Link>
        </div>
      </>
    );
  const status = await getDatabaseStatus(sources);
  const asOfYear = new Date(filters.asOf).getUTCFullYear();
  const firstYear = status.firstReferredAt === null ? asOfYear : new Date(status.firstReferredAt).getUTCFullYear();
  const years = Array.from({ length: Math.max(1, asOfYear - firstYear + 1) }, (_, i) => asOfYear - i);
  // By default the last complete year, where the data reach back that far.
  const year = read.parsed.extra.year ?? (years.includes(asOfYear - 1) ? asOfYear - 1 : asOfYear);
  // Links to records come only for those who may open them.
  await nextTurn();
  const r = await getTransparencyReport(data, filters, year, principal);
  const seesRecords = may(principal, 'records');
  const words = filtersInWords(filters, getFilterOptions(data));
  const query = new URLSearchParams(read.query);
  query.set('year', String(year));
  const o = r.removal_orders;

  return (
    <article className="transparency">
      <h1>Transparency report {year}: removal orders and referrals</h1>
      <p className="subtitle">
        Figures for a competent authority’s yearly report under Regulation (EU) 2021/784, Art. 8: orders and referrals made from 1 January to 31 December {year}{' '}
        (UTC), as known at {formatInstantUtc(filters.asOf)}.{words.length ? ` Filters: ${words.join('; ')}.` : ''}
        {seesRecords ? ' Every count links to the records that make it.' : ''}
      </p>
      <form className="screen-only year-form" method="get">
        <label htmlFor="year">Year</label>{' '}
        <select id="year" name="year" defaultValue={String(year)}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>{' '}
        {[...new URLSearchParams(read.query)].filter(([k]) => k !== 'year').map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <button type="submit">Show</button> · <a href={`/reports/transparency.pdf?${query}`}>Download (PDF)</a> · <PrintButton />
      </form>

      <h2 id="orders-issued">Removal orders issued</h2>
      <table id="orders-summary" aria-labelledby="orders-issued">
        <tbody>
          <tr>
            <th scope="row">Removal orders issued</th>
            <td className="num" data-figure="issued">
              <Count c={o.issued} />
            </td>
          </tr>
          <tr>
            <th scope="row">Content removed or access disabled</th>
            <td className="num" data-figure="removed_or_disabled">
              <Count c={o.removed_or_disabled} />
            </td>
          </tr>
          <tr>
            <th scope="row">Not executed (rejected by the provider)</th>
            <td className="num" data-figure="not_executed">
              <Count c={o.not_executed} />
            </td>
          </tr>
          <tr>
            <th scope="row">Still open at the time of the report</th>
            <td className="num" data-figure="still_open">
              <Count c={o.still_open} />
            </td>
          </tr>
          <tr>
            <th scope="row">Content already unavailable when ordered</th>
            <td className="num" data-figure="already_unavailable">
              <Count c={o.already_unavailable} />
            </td>
          </tr>
          <tr>
            <th scope="row">Executed within one hour (of orders at least one hour old)</th>
            <td className="num" data-figure="within_1h">
              {r.orders_within_1h.eligible ? `${formatRate(r.orders_within_1h.rate, r.orders_within_1h.lower, r.orders_within_1h.upper)} of ${formatCount(r.orders_within_1h.eligible)}` : '–'}
            </td>
          </tr>
        </tbody>
      </table>

      <h2 id="by-unit">By issuing authority</h2>
      <OutcomeTable id="by-unit-table" label="by-unit" heading="Issuing unit" rows={r.by_unit} />

      <h2 id="grounds">Orders not executed, and the grounds given</h2>
      {r.not_executed_by_reason.length === 0 ? (
        <p>No removal order of {year} was rejected.</p>
      ) : (
        <ReasonTable id="grounds-table" labelledBy="grounds" rows={r.not_executed_by_reason} />
      )}

      <h2 id="by-provider">By hosting provider: one-hour compliance, and referrals beside it</h2>
      <OutcomeTable
        id="by-provider-table"
        label="by-provider"
        heading="Provider"
        rows={r.by_provider}
        more={{
          headers: ['Executed within 1 h', 'Referrals (non-binding)', 'Referrals removed'],
          cells: (p) => [
            p.within_1h.eligible ? `${formatRate(p.within_1h.rate, p.within_1h.lower, p.within_1h.upper)} of ${formatCount(p.within_1h.eligible)}` : '–',
            p.referrals ? <Count c={p.referrals} /> : '0',
            p.referrals?.removal_rate != null ? formatPercent(p.referrals.removal_rate) : '–',
          ],
        }}
      />

      <h2 id="referrals">Referrals (non-binding) for comparison</h2>
      <p>
        <Count c={r.referrals.issued} /> referrals were made in {year}: <Count c={r.referrals.removed_or_disabled} /> removed or disabled (
        {formatRate(r.referrals.removal_rate, r.referrals.removal_rate_lower, r.referrals.removal_rate_upper)} of those not already unavailable),{' '}
        <Count c={r.referrals.not_executed} /> rejected and <Count c={r.referrals.still_open} /> still open;{' '}
        {r.referrals.within_24h.eligible ? `${formatRate(r.referrals.within_24h.rate, r.referrals.within_24h.lower, r.referrals.within_24h.upper)} were removed within 24 hours.` : 'none was old enough to judge against 24 hours.'}
      </p>

      <h2>Methods</h2>
      <p>
        An order or referral belongs to the year in which it was made (referred_at, UTC) and is shown as it stood at the report’s as-of instant: removed or
        disabled, not executed (rejected), still open, or already unavailable when made. The one-hour rule counts from the provider’s receipt of the order, less
        any time the clock was lawfully paused (force majeure, manifest error or missing information: Art. 3(7) and 3(8)); an order executed at exactly one hour
        is on time. Its share is taken over orders executed or at least one hour old, with a Wilson 95% interval. Referrals are voluntary requests to assess
        content against the provider’s terms; they are shown beside orders for comparison, not as obligations. Counts add up: issued = removed or disabled + not
        executed + still open + already unavailable, for every unit and every provider.
      </p>
      <BriefingReady />
    </article>
  );
}

type OutcomeRow = {
  key: string;
  name: string;
  issued: { count: number; records: string };
  removed_or_disabled: { count: number; records: string };
  not_executed: { count: number; records: string };
  still_open: { count: number; records: string };
  already_unavailable: { count: number; records: string };
};

function OutcomeTable<Row extends OutcomeRow>({
  id,
  label,
  heading,
  rows,
  more,
}: {
  id: string;
  label: string;
  heading: string;
  rows: Row[];
  /** Columns after the outcomes (a provider's compliance and referrals). */
  more?: { headers: string[]; cells: (row: Row) => ReactNode[] };
}) {
  if (rows.length === 0) return <p>No removal order was issued.</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
      <table id={id} aria-labelledby={label}>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            {['Issued', STATUS_LABELS.actioned, 'Not executed', STATUS_LABELS.open, STATUS_LABELS.excluded, ...(more?.headers ?? [])].map((h) => (
              <th key={h} scope="col" className="num">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{r.name}</th>
              {OUTCOMES.map((k) => (
                <td key={k} className="num">
                  <Count c={r[k]} />
                </td>
              ))}
              {more?.cells(r).map((cell, i) => (
                <td key={more.headers[i]} className="num">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const OUTCOMES = ['issued', 'removed_or_disabled', 'not_executed', 'still_open', 'already_unavailable'] as const;
