import type { Metadata } from 'next';
import Link from 'next/link';
import { getStore } from '@/db/open';
import { requirePage } from '@/lib/auth/dal';
import { formatCount, formatInstantUtc } from '@/lib/format';
import type { SearchParams } from '@/lib/page-filters';
import { getSettings } from '@/lib/settings';

export const metadata: Metadata = { title: 'Import' };

export default async function ImportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('/import');
  const store = getStore();
  const params = await searchParams;
  const failed = typeof params.failed === 'string' ? params.failed : null;
  const batches = await store.imports.list(100);
  const limit = getSettings().IMPORT_MAX_MB;
  return (
    <>
      <h1>Import referrals</h1>
      <p>
        Upload a batch from a referral unit as CSV, JSON or NDJSON (README: import format), at most {formatCount(limit)} MB. The whole file is checked first: if
        any row has an error, nothing is imported and every error is listed with its line and field. Importing the same file again changes nothing.
      </p>
      {failed && (
        <p role="alert" className="error-panel">
          The import did not run: {failed}
        </p>
      )}
      <form method="post" action="/api/v1/imports" encType="multipart/form-data" className="import-form">
        <p>
          <label htmlFor="file">File</label>{' '}
          <input id="file" name="file" type="file" accept=".csv,.json,.ndjson,.jsonl,text/csv,application/json" required />
        </p>
        <p>
          <label htmlFor="format">Format</label>{' '}
          <select id="format" name="format" defaultValue="">
            <option value="">from the file name</option>
            <option value="csv">CSV</option>
            <option value="json">JSON</option>
            <option value="ndjson">NDJSON</option>
          </select>
        </p>
        <p>
          <button type="submit">Import</button>
        </p>
      </form>

      <h2 id="history">Batches</h2>
      {batches.length === 0 ? (
        <p>No batch has been imported yet.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
          <table aria-labelledby="history" id="batches-table">
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">File</th>
                <th scope="col">By</th>
                <th scope="col">Finished (UTC)</th>
                <th scope="col">Result</th>
                <th scope="col" className="num">Rows</th>
                <th scope="col" className="num">Inserted</th>
                <th scope="col" className="num">Updated</th>
                <th scope="col" className="num">Unchanged</th>
                <th scope="col" className="num">Errors</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link href={`/import/${b.id}`}>{b.id}</Link>
                  </th>
                  <td className="inert">{b.fileName}</td>
                  <td className="inert">{b.actor}</td>
                  <td>{formatInstantUtc(b.finishedAt)}</td>
                  <td>{b.status === 'committed' ? 'imported' : 'refused, nothing written'}</td>
                  <td className="num">{formatCount(b.rows)}</td>
                  <td className="num">{formatCount(b.inserted)}</td>
                  <td className="num">{formatCount(b.updated)}</td>
                  <td className="num">{formatCount(b.unchanged)}</td>
                  <td className="num">{formatCount(b.errorCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
