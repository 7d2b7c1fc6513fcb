import type { Metadata } from 'next';
import Link from 'next/link';
import { HorizontalBars } from '@/components/charts/bar-chart';
import { ChartFrame } from '@/components/charts/chart-frame';
import { KmChart } from '@/components/charts/km-chart';
import { FilterBar } from '@/components/filters/filter-bar';
import { UnreadableFilters } from '@/components/filters/unreadable-filters';
import { Headline } from '@/components/layout/headline';
import { CAMPAIGN_DEADLINES } from '@/lib/campaigns';
import { describePeriod } from '@/lib/filters';
import { formatCount, formatHours, formatInstantUtc, formatRate } from '@/lib/format';
import { getSummary, getVolumes } from '@/lib/metrics';
import { entityTitle, readEntityPage } from '@/lib/entity-page';
import type { SearchParams } from '@/lib/page-filters';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ code: string }>; searchParams: Promise<SearchParams> };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: { absolute: await entityTitle('campaign', params, 'Campaigns') } };
}

export default async function CampaignPage({ params, searchParams }: Props) {
  await requirePage('/campaigns/[code]');
  const page = await readEntityPage('campaign', params, searchParams);
  const { code, name, sources, options, query } = page;
  const { data } = sources;
  if (!page.filters) return <UnreadableFilters title={name} options={options} error={page.error!} />;
  const filters = page.filters;
  await nextTurn();
  const summary = getSummary(data, filters, { deadlines: CAMPAIGN_DEADLINES, kmPoints: 150 });
  const period = describePeriod(filters);
  const asOfText = formatInstantUtc(filters.asOf);
  const w = (h: number) => summary.compliance.find((c) => c.hours === h)!;
  const bars = (
    [
      ['by-unit', 'Items by referring unit', 'unit'],
      ['by-language', 'Items by language', 'language'],
      ['by-platform', 'Items by platform', 'platform'],
    ] as const
  ).map(([id, title, by]) => ({ id, title, by, rows: getVolumes(data, filters, by).rows }));

  return (
    <>
      <p className="breadcrumb">
        <Link href={`/campaigns?${query}`}>Campaigns</Link> › {name}
      </p>
      <h1>{name}</h1>
      <p className="subtitle">
        Items referred in this campaign {period}, as of {asOfText}.
      </p>
      <FilterBar options={options} asOf={filters.asOf} />
      <section aria-label="Headline figures" className="headline">
        <Headline label="Items referred" value={formatCount(summary.total)} detail={`${formatCount(summary.excluded)} already unavailable`} kind="count" />
        <Headline label="Referring units" value={formatCount(bars[0].rows.length)} detail={bars[0].rows.map((r) => r.key).join(', ')} kind="count" />
        <Headline label="Languages" value={formatCount(bars[1].rows.length)} detail={bars[1].rows.map((r) => r.key).join(', ')} kind="count" />
        <Headline label="Platforms" value={formatCount(bars[2].rows.length)} detail="referred to" kind="count" />
        <Headline label="Removed within 48 hours" value={formatRate(w(48).rate, w(48).lower, w(48).upper)} detail={`${formatCount(w(48).on_time)} of ${formatCount(w(48).eligible)}`} kind="share" />
        <Headline label="Removed within 7 days" value={formatRate(w(168).rate, w(168).lower, w(168).upper)} detail={`${formatCount(w(168).on_time)} of ${formatCount(w(168).eligible)}`} kind="share" />
      </section>
      <ChartFrame
        id="km-campaign"
        title={`Share of the campaign's items still online, by time since referral`}
        subtitle={`Kaplan–Meier estimate with 95% interval; n = ${formatCount(summary.n)}, as of ${asOfText}.`}
        rows={summary.km}
        fileName={`${code}-time-to-removal`}
        columns={[
          { label: 'Hours since clock start', value: (r) => r.time, format: (r) => formatHours(r.time), numeric: true },
          { label: 'At risk', value: (r) => r.n_risk, numeric: true },
          { label: 'Still online', value: (r) => r.surv, format: (r) => formatRate(r.surv, r.lower, r.upper), numeric: true },
        ]}
      >
        <KmChart series={[{ key: code, name, colourIndex: 0, points: summary.km }]} maxTime={Math.max(1, summary.max_follow_up ?? 1)} />
      </ChartFrame>
      <div className="columns">
        {bars.map((b) => (
          <ChartFrame
            key={b.id}
            id={b.id}
            title={b.title}
            subtitle={`n = ${formatCount(summary.total)}, as of ${asOfText}. Click a bar to filter by it.`}
            rows={b.rows}
            fileName={`${code}-${b.id}`}
            columns={[
              { label: 'Value', value: (r) => r.name },
              { label: 'Code', value: (r) => r.key },
              { label: 'Items', value: (r) => r.count, format: (r) => formatCount(r.count), numeric: true },
            ]}
          >
            <HorizontalBars rows={b.rows.map((r) => ({ key: r.key, label: r.name, value: r.count }))} filterKey={b.by} valueLabel="Items" />
          </ChartFrame>
        ))}
      </div>
    </>
  );
}
