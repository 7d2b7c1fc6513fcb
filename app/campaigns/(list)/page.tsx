import type { Metadata } from 'next';
import Link from 'next/link';
import { sourcesNow } from '@/lib/sources';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { getCampaignOverview } from '@/lib/campaigns';
import { getFilterOptions } from '@/lib/filter-options';
import { describePeriod, mainFilterText } from '@/lib/filters';
import { formatCount, formatDate, formatInstantUtc, formatRate } from '@/lib/format';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams);
  const main = read.ok ? mainFilterText(read.parsed.filters) : '';
  return { title: { absolute: `Campaigns${main ? `: ${main}` : ''} · Takedown Monitor` } };
}

export default async function CampaignsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('/campaigns');
  const sources = await sourcesNow();
  const { data } = sources;
  const options = getFilterOptions(data);
  const read = readPageFilters(await searchParams);
  if (!read.ok) return <UnreadableFilters title="Campaigns" options={options} error={read.error} />;
  const filters = read.parsed.filters;
  await nextTurn();
  const campaigns = await getCampaignOverview(sources, filters);
  const within = (row: (typeof campaigns)[number], h: number) => row.compliance.find((c) => c.hours === h)!;

  return (
    <>
      <h1>Campaigns</h1>
      <p className="subtitle">
        Coordinated operations such as Referral Action Days, {describePeriod(filters)}, as of {formatInstantUtc(filters.asOf)}.
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      {campaigns.length === 0 ? (
        <p>No referral under these filters belongs to a campaign.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
          <table aria-label="Campaigns">
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Dates (UTC)</th>
                <th scope="col" className="num">
                  Items
                </th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col" className="num">
                  Languages
                </th>
                <th scope="col" className="num">
                  Platforms
                </th>
                <th scope="col" className="num">
                  Removed within 48 h
                </th>
                <th scope="col" className="num">
                  Removed within 7 days
                </th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.key}>
                  <th scope="row">
                    <Link href={`/campaigns/${encodeURIComponent(c.key)}?${read.query}`}>{c.name}</Link>
                  </th>
                  <td>
                    {c.info?.startsAt ? formatDate(c.info.startsAt) : '–'}
                    {c.info?.endsAt ? ` to ${formatDate(c.info.endsAt)}` : ''}
                  </td>
                  <td className="num">{formatCount(c.total)}</td>
                  <td className="num">{c.units}</td>
                  <td className="num">{c.languages}</td>
                  <td className="num">{c.platforms}</td>
                  <td className="num">{formatRate(within(c, 48).rate, within(c, 48).lower, within(c, 48).upper)}</td>
                  <td className="num">{formatRate(within(c, 168).rate, within(c, 168).lower, within(c, 168).upper)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="subtitle">
        Removed within 48 hours: share of the campaign&apos;s items, actioned or at least 48 hours old at as of, removed within 48 hours of
        referral (Wilson 95% interval); likewise for 7 days.
      </p>
    </>
  );
}
