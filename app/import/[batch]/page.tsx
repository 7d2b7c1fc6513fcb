import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getStore } from '@/db/open';
import { requirePage } from '@/lib/auth/dal';
import { formatCount, formatInstantUtc } from '@/lib/format';
import { KEPT_ERRORS } from '@/lib/import/uploads';

export const metadata: Metadata = { title: 'Import batch' };

const SHOWN = 500;

export default async function BatchPage({ params }: { params: Promise<{ batch: string }> }) {
  await requirePage('/import/[batch]');
  const { batch: raw } = await params;
  if (!/^[1-9]\d{0,9}$/.test(raw)) notFound();
  const store = getStore();
  const batch = await store.imports.get(Number(raw));
  if (!batch) notFound();
  const errors = batch.errorCount > 0 ? await store.imports.errors(batch.id, SHOWN) : [];
  const stored = errors.length;
  return (
    <>
      <p className="breadcrumb">
        <Link href="/import">Import</Link> / batch {batch.id}
      </p>
      <h1>
        Batch {batch.id}: {batch.status === 'committed' ? 'imported' : 'refused, nothing was written'}
      </h1>
      <dl className="facts">
        <dt>File</dt>
        <dd className="inert">
          {batch.fileName} ({batch.format}, SHA-256 <code>{batch.sha256.slice(0, 16)}…</code>)
        </dd>
        <dt>By</dt>
        <dd className="inert">{batch.actor}</dd>
        <dt>Finished</dt>
        <dd>{formatInstantUtc(batch.finishedAt)}</dd>
      </dl>
      {batch.status === 'committed' ? (
        <p role="status">
          {formatCount(batch.rows)} rows: {formatCount(batch.inserted)} inserted, {formatCount(batch.updated)} updated, {formatCount(batch.unchanged)} unchanged.
        </p>
      ) : (
        <>
          <p role="alert" className="error-panel">
            Nothing was imported. {batch.message}
          </p>
          {batch.errorCount > 0 && (
            <>
              <h2 id="errors">
                {formatCount(batch.errorCount)} error{batch.errorCount === 1 ? '' : 's'} in {formatCount(batch.rejected)} of {formatCount(batch.rows)} rows
              </h2>
              <p>
                <a href={`/import/${batch.id}/errors.csv`} download>
                  Download the error report (CSV)
                </a>
                {batch.errorCount > KEPT_ERRORS ? ` (the first ${formatCount(KEPT_ERRORS)} errors are kept)` : ''}
                {batch.errorCount > stored ? `; the first ${formatCount(stored)} are listed here.` : '.'}
              </p>
              <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
                <table aria-labelledby="errors" id="errors-table">
                  <thead>
                    <tr>
                      <th scope="col" className="num">Line</th>
                      <th scope="col">Field</th>
                      <th scope="col">Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {errors.map((e, i) => (
                      <tr key={i}>
                        <td className="num">{e.line}</td>
                        <td className="inert">{e.field || '(the whole row)'}</td>
                        <td className="inert">{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
      <p>
        <Link href="/import">Import another file</Link>
      </p>
    </>
  );
}
