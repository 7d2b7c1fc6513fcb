import { getDb } from '@/db/client';
import { SyntheticBanner } from '@/components/layout/synthetic-banner';
import { getDatabaseStatus } from '@/lib/database-status';
import { CountTable } from '@/components/tables/count-table';
import { formatCount, formatDate, formatInstantUtc } from '@/lib/format';

// Figures come from the database at request time, never from the build.
export const dynamic = 'force-dynamic';

const OUTCOME_LABELS: Record<string, string> = {
  pending: 'Pending (no outcome yet)',
  removed: 'Removed',
  disabled: 'Access disabled',
  rejected: 'Rejected by the provider',
  unavailable: 'Already unavailable when assessed',
};

export default function HomePage() {
  const status = getDatabaseStatus(getDb());

  if (status.total === 0) {
    return (
      <>
        <h1>No referrals yet</h1>
        <p>The database is empty. Import a batch of referral records from a referral unit:</p>
        <pre>
          <code>npm run import -- path/to/referrals.csv</code>
        </pre>
        <p>
          CSV (with a header row) or JSON; the format is described in the README and in{' '}
          <code>DATA-MODEL.md</code>. To explore with generated data instead, load the synthetic demo set with{' '}
          <code>npm run seed:demo</code>.
        </p>
      </>
    );
  }

  return (
    <>
      {status.synthetic && <SyntheticBanner />}
      <h1>Referrals on record</h1>
      <p className="subtitle">
        {formatCount(status.total)} referrals and removal orders, referred between {formatDate(status.firstReferredAt!)} and{' '}
        {formatDate(status.lastReferredAt!)} (UTC).
        {status.lastBatch && <> Last import: {formatInstantUtc(status.lastBatch.finishedAt)}.</>}
      </p>

      <h2 id="by-platform">Referrals by platform</h2>
      <CountTable
        labelledBy="by-platform"
        heading="Platform"
        total={status.total}
        rows={status.byPlatform.map((p) => ({ key: p.code, label: p.name, count: p.count }))}
      />

      <h2 id="by-outcome">Referrals by recorded outcome</h2>
      <CountTable
        labelledBy="by-outcome"
        heading="Outcome"
        total={status.total}
        rows={status.byOutcome.map((o) => ({ key: o.outcome, label: OUTCOME_LABELS[o.outcome] ?? o.outcome, count: o.count }))}
      />
      <p className="subtitle">
        Outcomes as last recorded, whatever their date. Response times and removal rates at a chosen date come with
        the metrics views.
      </p>
    </>
  );
}
