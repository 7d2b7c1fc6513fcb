import type { Metadata } from 'next';
import Link from 'next/link';
import { BriefingReady } from '@/components/briefing/briefing-ready';
import { PrintButton } from '@/components/briefing/print-button';
import { ComplianceBars } from '@/components/charts/compliance-bars';
import { KmChart } from '@/components/charts/km-chart';
import { FilterErrors } from '@/components/filters/filter-errors';
import { sourcesNow } from '@/lib/sources';
import { getBriefing, type Briefing } from '@/lib/briefing/content';
import { countCell, medianCell, rateCell } from '@/lib/briefing/small-numbers';
import { mainFilterText } from '@/lib/filters';
import { formatCount, formatDate, formatInstantUtc, formatPercent } from '@/lib/format';
import type { Summary } from '@/lib/metrics';
import { readPageFilters, type SearchParams } from '@/lib/page-filters';
import { getSettings, SettingsError } from '@/lib/settings';
import styles from './briefing.module.css';
import { requirePage } from '@/lib/auth/dal';
import { nextTurn } from '@/lib/metrics/turns';
import { requestTime } from '@/lib/request-time';

export const dynamic = 'force-dynamic';

/** A4 portrait at 96 px per inch, less the margins of @page: charts are drawn at this fixed width. */
const PRINT_WIDTH = 660;

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const read = readPageFilters(await searchParams);
  const main = read.ok ? mainFilterText(read.parsed.filters) : '';
  return { title: { absolute: `Briefing${main ? `: ${main}` : ''} · Takedown Monitor` } };
}

export default async function BriefingPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('/briefing');
  const read = readPageFilters(await searchParams);
  if (!read.ok)
    return (
      <>
        <h1>Briefing</h1>
        <FilterErrors error={read.error} />
      </>
    );
  const { filters } = read.parsed;
  let k: number;
  try {
    k = getSettings().BRIEFING_MIN_CELL;
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    return (
      <>
        <h1>Briefing</h1>
        <div role="alert" className="error-panel" data-render-error="server">
          {err.message}. Small numbers cannot be suppressed without it, so no briefing is shown until the setting is fixed.
        </div>
      </>
    );
  }
  await nextTurn();
  const b = await getBriefing(await sourcesNow(), filters, k);
  const asOfText = formatInstantUtc(filters.asOf);
  return (
    <article className={`briefing ${styles.briefing}`}>
      <Cover b={b} asOfText={asOfText} query={read.query} />

      <section className={styles.section}>
        <h2>Key findings</h2>
        <ul className={styles.findings}>
          {b.findings.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      </section>

      <LeagueTable b={b} />

      {b.mainProviders.length > 0 && (
        <section className={styles.section}>
          <h2>Time to removal of the main providers</h2>
          <figure className={styles.chart}>
            <figcaption>
              Share of referred items still online by hours since the clock started (Kaplan–Meier, 95% intervals shaded), for the{' '}
              {b.mainProviders.length} providers with most referrals: {b.mainProviders.map((p) => `${p.name} (n = ${countCell(p.n, k)})`).join(', ')}. Dashed
              lines: 1 hour, 24 hours, 7 days. As of {asOfText}.
            </figcaption>
            <KmChart
              series={b.mainProviders.map((p, i) => ({ key: p.key, name: p.name, colourIndex: i, points: p.km }))}
              maxTime={Math.max(1, ...b.mainProviders.map((p) => p.max_follow_up ?? 1))}
              width={PRINT_WIDTH}
              height={330}
            />
          </figure>
        </section>
      )}

      <ComplianceSection b={b} asOfText={asOfText} />
      <VolumeTables b={b} />
      <CampaignTable b={b} />
      <FailureSection b={b} />
      <OpenTable b={b} asOfText={asOfText} />
      <Methods b={b} />
      <BriefingReady />
    </article>
  );
}

function Cover({ b, asOfText, query }: { b: Briefing; asOfText: string; query: string }) {
  const batch = b.source.lastBatch;
  return (
    <header className={styles.cover}>
      <p className={styles.kicker}>Takedown Monitor · Briefing</p>
      <h1>How providers act on referrals and removal orders of terrorist content</h1>
      {b.synthetic && (
        <p className={styles.synthetic} role="note">
          <strong>Synthetic demo data.</strong> Every provider, referral and figure in this briefing is generated for demonstration; no number describes real
          events.
        </p>
      )}
      <dl className={styles.facts}>
        <dt>Period</dt>
        <dd>Referred {b.period}</dd>
        <dt>Filters</dt>
        <dd>{b.filters.length ? b.filters.join('; ') : 'None: every referral and removal order in the period'}</dd>
        <dt>As of</dt>
        <dd>{asOfText}: the figures describe what was known at that instant</dd>
        <dt>Generated</dt>
        <dd>{formatInstantUtc(requestTime())}</dd>
        <dt>Data source</dt>
        <dd>
          {batch ? `Referral records last imported from ${batch.fileName} on ${formatInstantUtc(batch.finishedAt)}` : 'No import recorded'}
          {b.source.firstReferredAt !== null && b.source.lastReferredAt !== null
            ? `; the database holds ${formatCount(b.source.total)} referrals made from ${formatDate(b.source.firstReferredAt)} to ${formatDate(b.source.lastReferredAt)}.`
            : '.'}
        </dd>
        <dt>Small numbers</dt>
        <dd>
          Counts below {b.k} are shown as “&lt; {b.k}”, and no rate or median is given on fewer than {b.k} referrals.
        </dd>
      </dl>
      <p className={`screen-only ${styles.actions}`}>
        <a href={`/briefing.pdf${query ? `?${query}` : ''}`}>Download briefing (PDF)</a> · <PrintButton /> · <Link href={`/${query ? `?${query}` : ''}`}>Back to the dashboard</Link>
      </p>
    </header>
  );
}

const at = (s: Summary, h: number) => s.compliance.find((c) => c.hours === h)!;

function LeagueTable({ b }: { b: Briefing }) {
  const { k } = b;
  const flagged = new Set(b.compliance.flagged.map((f) => f.key));
  return (
    <section className={styles.section}>
      <h2 id="briefing-league">Provider league table</h2>
      <table className={styles.table} aria-labelledby="briefing-league">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col" className="num">
              Referrals
            </th>
            <th scope="col" className="num">
              Removal rate (95%)
            </th>
            <th scope="col" className="num">
              Median time to removal
            </th>
            <th scope="col" className="num">
              Within 1 h
            </th>
            <th scope="col" className="num">
              Within 24 h
            </th>
            <th scope="col" className="num">
              Within 7 days
            </th>
            <th scope="col" className="num">
              Still online after 7 days
            </th>
          </tr>
        </thead>
        <tbody>
          {b.providers.map((p) => (
            <tr key={p.key} data-key={p.key}>
              <th scope="row">
                {p.name}
                {flagged.has(p.key) ? ' (flagged)' : ''}
              </th>
              <td className="num">{countCell(p.total, k)}</td>
              <td className="num">{rateCell({ rate: p.removal_rate, lower: p.removal_rate_lower, upper: p.removal_rate_upper }, p.n, k)}</td>
              <td className="num">{medianCell(p.km_median, p.max_follow_up, p.n, k)}</td>
              {[1, 24, 168].map((h) => (
                <td key={h} className="num">
                  {rateCell(at(p, h), at(p, h).eligible, k)}
                </td>
              ))}
              <td className="num">{countCell(p.open_over_7_days, k)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.note}>
        Removal rate: removed or disabled among referred items not already unavailable. Within h: removed within h hours of the clock start among items removed or
        online for at least h hours. “Not shown”: fewer than {k} referrals (or eligible items) in the cell.
      </p>
    </section>
  );
}

function ComplianceSection({ b, asOfText }: { b: Briefing; asOfText: string }) {
  const { k } = b;
  const ordersOf = new Map(b.ordersByProvider.map((o) => [o.key, o]));
  const colourOf = new Map(b.providers.map((p, i) => [p.key, i]));
  const bars = b.ordersByProvider
    .map((p) => ({ p, c: at(p, 1) }))
    .filter(({ c }) => c.eligible >= k && c.rate !== null)
    .sort((x, y) => y.c.rate! - x.c.rate!);
  const orders = at(b.ordersSummary, 1);
  return (
    <section className={styles.section}>
      <h2 id="briefing-compliance">Compliance at each deadline</h2>
      <table className={styles.table} aria-labelledby="briefing-compliance">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col" className="num">
              Removal orders executed within 1 h
            </th>
            <th scope="col" className="num">
              Referrals removed within 24 h
            </th>
            <th scope="col" className="num">
              Referrals removed within 7 days
            </th>
          </tr>
        </thead>
        <tbody>
          {b.providers.map((p) => {
            const o = ordersOf.get(p.key);
            const cell = (c: { eligible: number; rate: number | null; lower: number | null; upper: number | null }) =>
              c.eligible < k ? `${countCell(c.eligible, k)} eligible` : `${rateCell(c, c.eligible, k)} of ${countCell(c.eligible, k)}`;
            return (
              <tr key={p.key}>
                <th scope="row">{p.name}</th>
                <td className="num">{o ? cell(at(o, 1)) : 'no orders'}</td>
                <td className="num">{cell(at(p, 24))}</td>
                <td className="num">{cell(at(p, 168))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {bars.length > 0 && (
        <figure className={styles.chart}>
          <figcaption>
            Removal orders executed within one hour, by provider, with Wilson 95% intervals; {countCell(orders.eligible, k)} orders at least one hour old in all,
            as of {asOfText}. Providers with fewer than {k} eligible orders are left out. Dashed line: the persistent-failure target of{' '}
            {formatPercent(b.compliance.settings.target)}.
          </figcaption>
          <ComplianceBars
            width={PRINT_WIDTH}
            target={b.compliance.settings.target}
            axisLabel="Share of removal orders executed within 1 hour"
            rows={bars.map(({ p, c }) => ({
              key: p.key,
              label: p.name,
              rate: c.rate!,
              error: [c.rate! - c.lower!, c.upper! - c.rate!] as [number, number],
              eligible: c.eligible,
              lowN: false,
              colourIndex: colourOf.get(p.key) ?? 0,
            }))}
          />
        </figure>
      )}
    </section>
  );
}

function VolumeTables({ b }: { b: Briefing }) {
  const tables = [
    { id: 'group', title: 'Group', rows: b.volumes.group },
    { id: 'language', title: 'Language', rows: b.volumes.language },
    { id: 'platform_type', title: 'Platform type', rows: b.volumes.platform_type },
  ];
  return (
    <section className={styles.section}>
      <h2>Referrals by group, language and platform type</h2>
      <div className={styles.columns}>
        {tables.map((t) => (
          <table key={t.id} className={styles.table}>
            <caption>By {t.title.toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col">{t.title}</th>
                <th scope="col" className="num">
                  Referrals
                </th>
              </tr>
            </thead>
            <tbody>
              {[...t.rows]
                .sort((x, y) => y.count - x.count || x.name.localeCompare(y.name))
                .map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.name}</th>
                    <td className="num">{countCell(r.count, b.k)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        ))}
      </div>
    </section>
  );
}

function CampaignTable({ b }: { b: Briefing }) {
  const { k } = b;
  return (
    <section className={styles.section}>
      <h2 id="briefing-campaigns">Campaigns in the period</h2>
      {b.campaigns.length === 0 ? (
        <p>No referral in the period belongs to a campaign.</p>
      ) : (
        <table className={styles.table} aria-labelledby="briefing-campaigns">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
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
            {b.campaigns.map((c) => (
              <tr key={c.key}>
                <th scope="row">{c.name}</th>
                <td className="num">{countCell(c.total, k)}</td>
                <td className="num">{c.units}</td>
                <td className="num">{c.languages}</td>
                <td className="num">{c.platforms}</td>
                <td className="num">{rateCell(at(c, 48), at(c, 48).eligible, k)}</td>
                <td className="num">{rateCell(at(c, 168), at(c, 168).eligible, k)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function FailureSection({ b }: { b: Briefing }) {
  const s = b.compliance.settings;
  return (
    <section className={styles.section}>
      <h2 id="briefing-failure">Providers flagged for persistent failure</h2>
      <p>
        A provider is flagged when fewer than {formatPercent(s.target)} of its removal orders were executed within {s.hours} hour{s.hours === 1 ? '' : 's'} in{' '}
        {s.months} consecutive judged months; a month with fewer than {s.min_orders} eligible orders is not judged.
      </p>
      {b.compliance.flagged.length === 0 ? (
        <p>No provider is flagged under these filters.</p>
      ) : (
        <table className={styles.table} aria-labelledby="briefing-failure">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Months below target that triggered the flag</th>
            </tr>
          </thead>
          <tbody>
            {b.compliance.flagged.map((f) => (
              <tr key={f.key}>
                <th scope="row">{f.name}</th>
                <td>{f.triggering_months.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function OpenTable({ b, asOfText }: { b: Briefing; asOfText: string }) {
  const rows = b.providers.filter((p) => p.open > 0).sort((x, y) => y.open_over_7_days - x.open_over_7_days || x.name.localeCompare(y.name));
  return (
    <section className={styles.section}>
      <h2 id="briefing-open">Items still online after 7 days, by provider</h2>
      {rows.length === 0 ? (
        <p>No referred item was still online at {asOfText}.</p>
      ) : (
        <table className={styles.table} aria-labelledby="briefing-open">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col" className="num">
                Still online after 7 days
              </th>
              <th scope="col" className="num">
                Still online in all
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.key}>
                <th scope="row">{p.name}</th>
                <td className="num">{countCell(p.open_over_7_days, b.k)}</td>
                <td className="num">{countCell(p.open, b.k)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Methods({ b }: { b: Briefing }) {
  return (
    <section className={`${styles.section} ${styles.methods}`}>
      <h2>Methods and limits</h2>
      <p>
        <strong>What is counted.</strong> Each referral is an item of suspected terrorist content that a referral unit asked a hosting provider to assess, or a
        removal order it had to execute; the period selects items by the date they were referred (UTC). Every figure describes what was known at the “as of”
        instant: an outcome recorded later is treated as not yet known.
      </p>
      <p>
        <strong>Clock start and response time.</strong> The clock starts when the item is referred, or for a removal order when the provider received it. The
        response time is the time from clock start to removal or disabling, less any period in which the clock was paused (force majeure, or a manifest error or
        missing information in the order).
      </p>
      <p>
        <strong>Removal rate.</strong> Items removed or disabled, divided by all referred items except those already unavailable when referred, with a Wilson 95%
        interval. It is a snapshot: items still online may be removed later.
      </p>
      <p>
        <strong>Time to removal.</strong> Items still online have not been removed <em>yet</em>; leaving them out would make slow providers look fast. The share
        still online after t hours is therefore estimated with the Kaplan–Meier method, which counts an item still online (or rejected) for as long as it has been
        online. The median time to removal is the first time at which at most half of the items are still online; where that never happens it is “not reached”,
        and the longest time followed is shown instead. Its 95% interval comes from Greenwood’s variance on the log-log scale.
      </p>
      <p>
        <strong>Compliance with a deadline.</strong> Among items removed, or online for at least the deadline, the share removed within it, with a Wilson 95%
        interval; younger items still online cannot be judged yet and are left out. Removal orders are judged against one hour (Regulation (EU) 2021/784, Art.
        3(3)); referrals, which are not binding, against 24 hours and 7 days for comparison.
      </p>
      <p>
        <strong>Persistent failure.</strong> One-hour compliance of removal orders by calendar month of the order: a provider is flagged when it stays below{' '}
        {formatPercent(b.compliance.settings.target)} for {b.compliance.settings.months} judged months in a row. A flag is a prompt to look closer, not a finding
        of a breach: the regulation’s own test of systematic or persistent failure is for the competent authority.
      </p>
      <p>
        <strong>Small numbers.</strong> A rate on a handful of items misleads: counts below {b.k} are printed as “&lt; {b.k}” and no rate or median is given on
        them. Intervals are shown wherever a rate is.
      </p>
      <p>
        <strong>Limits.</strong> The records cover only what referral units found and referred, not all terrorist content online; outcomes and their times are as
        reported by providers and units; items referred more than once are counted each time; and a provider’s figures depend on the mix of content referred to
        it. Differences between providers whose intervals overlap should not be read as real.
      </p>
    </section>
  );
}
