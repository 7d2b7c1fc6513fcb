import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { sourcesNow } from '@/lib/sources';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { getFilterOptions } from '@/lib/filter-options';
import { describePeriod, mainFilterText } from '@/lib/filters';
import { formatCount, formatInstantUtc, formatUtcMinute } from '@/lib/format';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { recordSelectionParams, referralSortParam } from '@/lib/api/params';
import { getReferrals, REFERRAL_SORTS } from '@/lib/referrals';
import { requirePage } from '@/lib/auth/dal';
import { audit } from '@/lib/auth/audit';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

/** METRICS.md status at as_of, in words. */
const STATUS_WORDS = {
  actioned: 'removed or disabled by as of',
  declined: 'rejected by as of',
  open: 'still open at as of',
  excluded: 'already unavailable when referred',
} as const;
const extra = {
  page: z.string().regex(/^[1-9]\d{0,6}$/, { error: 'must be a page number' }).transform(Number).optional(),
  sort: referralSortParam,
  ...recordSelectionParams,
};

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams, extra);
  const main = read.ok ? mainFilterText(read.parsed.filters) : '';
  return { title: { absolute: `Records${main ? `: ${main}` : ''} · Takedown Monitor` } };
}

const COLUMNS: { sort: (typeof REFERRAL_SORTS)[number] | null; label: string }[] = [
  { sort: 'referral_id', label: 'Referral' },
  { sort: 'referred_at', label: 'Referred (UTC)' },
  { sort: 'kind', label: 'Kind' },
  { sort: 'platform', label: 'Provider' },
  { sort: 'group', label: 'Group' },
  { sort: 'language', label: 'Language' },
  { sort: null, label: 'Content' },
  { sort: 'outcome', label: 'Outcome at as of' },
  { sort: 'outcome_at', label: 'Outcome (UTC)' },
  { sort: null, label: 'URL' },
];

export default async function RecordsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePage('/records');
  const sources = await sourcesNow();
  const { store, data } = sources;
  const read = readPageFilters(await searchParams, extra);
  const options = getFilterOptions(data);
  if (!read.ok) return <UnreadableFilters title="Records" options={options} error={read.error} />;
  const { filters, extra: params } = read.parsed;
  const sort = params.sort ?? '-referred_at';
  await nextTurn();
  const result = await getReferrals(store, principal, filters, { page: params.page ?? 1, pageSize: PAGE_SIZE, sort, status: params.status, reason: params.reason });
  audit(store, { actor: principal, action: 'record_view', outcome: 'allowed', target: '/records', filters: new URLSearchParams(read.query) });
  const link = (change: Record<string, string | null>) => {
    const q = new URLSearchParams(read.query);
    for (const [k, v] of Object.entries(change)) {
      if (v === null) q.delete(k);
      else q.set(k, v);
    }
    return `?${q}`;
  };
  const csvQuery = new URLSearchParams(read.query);
  csvQuery.delete('page');
  const first = (result.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(result.total, result.page * PAGE_SIZE);

  return (
    <>
      <h1>Records</h1>
      <p className="subtitle">
        Referrals and removal orders {describePeriod(filters)}, as known at {formatInstantUtc(filters.asOf)}: an outcome recorded later
        shows as pending.
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      {(params.status || params.reason) && (
        <p className="selection-note">
          Only records {params.status ? <strong>{STATUS_WORDS[params.status]}</strong> : null}
          {params.status && params.reason ? ' with ' : params.reason ? 'with ' : ''}
          {params.reason ? (
            <>
              {params.reason === '-' ? 'no reason given' : (
                <>
                  reason <code>{params.reason}</code>
                </>
              )}
            </>
          ) : null}{' '}
          (as the figure that links here counts them).{' '}
          <Link href={link({ status: null, reason: null, page: null })}>Show every status</Link>
        </p>
      )}
      <p role="status">
        {result.total === 0 ? (
          'No referrals match these filters.'
        ) : (
          <>
            {formatCount(result.total)} referrals; showing {formatCount(first)}–{formatCount(last)}.{' '}
            <a href={`/api/v1/referrals.csv?${csvQuery}`} download>
              Download all {formatCount(result.total)} as CSV
            </a>
          </>
        )}
      </p>
      {result.total > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
          <table className="records" aria-label="Referral records">
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  if (!c.sort)
                    return (
                      <th key={c.label} scope="col">
                        {c.label}
                      </th>
                    );
                  const active = sort === c.sort || sort === `-${c.sort}`;
                  const descending = sort === `-${c.sort}`;
                  return (
                    <th key={c.label} scope="col" aria-sort={active ? (descending ? 'descending' : 'ascending') : undefined}>
                      <Link href={link({ sort: active && !descending ? `-${c.sort}` : c.sort, page: null })} scroll={false}>
                        {c.label}
                        {active ? (descending ? ' ▼' : ' ▲') : ''}
                      </Link>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.referral_id}>
                  <th scope="row">{r.referral_id}</th>
                  <td>{formatUtcMinute(r.referred_at)}</td>
                  <td>{r.kind === 'removal_order' ? 'Removal order' : 'Referral'}</td>
                  <td>{r.platform_name}</td>
                  <td>{r.group_name}</td>
                  <td>{r.language}</td>
                  <td>{r.content_type}</td>
                  <td>{r.outcome}</td>
                  <td>{formatUtcMinute(r.outcome_at)}</td>
                  {/* Live terrorist content: shown as text, never as a link. */}
                  <td className="url">{r.url}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.pages > 1 && (
        <nav aria-label="Pages" className="pager">
          {result.page > 1 && <Link href={link({ page: String(result.page - 1) })}>← Previous</Link>}
          <span>
            Page {formatCount(result.page)} of {formatCount(result.pages)}
          </span>
          {result.page < result.pages && <Link href={link({ page: String(result.page + 1) })}>Next →</Link>}
        </nav>
      )}
    </>
  );
}
