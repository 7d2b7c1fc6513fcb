// Every chart: a title saying what is counted, a subtitle with n, period and
// as_of, the chart itself, and the accessible data table behind it with a
// CSV download of the same rows (UI.md).
import type { ReactNode } from 'react';
import { CsvDownload } from './csv-download';
import { DataTable, type DataCell } from './data-table';
import { SvgDownload } from './svg-download';
import styles from './chart-frame.module.css';

export interface Column<Row> {
  label: string;
  value: (row: Row) => string | number | null;
  /** How the table shows the value (the CSV keeps the raw value). */
  format?: (row: Row) => string;
  numeric?: boolean;
}

export function ChartFrame<Row>({
  id,
  title,
  subtitle,
  children,
  rows,
  columns,
  fileName,
  lowN,
}: {
  id: string;
  title: string;
  subtitle: string;
  children: ReactNode;
  rows: Row[];
  columns: Column<Row>[];
  fileName: string;
  lowN?: boolean;
}) {
  return (
    <figure className={styles.frame} aria-labelledby={`${id}-title`}>
      <figcaption>
        <h3 id={`${id}-title`} className={styles.title}>
          {title}
          {lowN && (
            <span className={styles.lowN} title="Fewer than 5 referrals: read with care">
              low n
            </span>
          )}
        </h3>
        <p className={styles.subtitle}>{subtitle}</p>
      </figcaption>
      {rows.length === 0 ? <p className={styles.empty}>No referrals match these filters.</p> : <div id={`${id}-chart`}>{children}</div>}
      <details className={styles.details}>
        <summary>Data table</summary>
        <DataTable
          id={`${id}-table`}
          caption={title}
          columns={columns.map((c) => ({ label: c.label, numeric: c.numeric ?? false }))}
          rows={rows.map((r) => columns.map((c): DataCell => (c.format ? [c.format(r), c.value(r) ?? ''] : c.value(r))))}
        />
      </details>
      <div className={styles.download}>
        <CsvDownload tableId={`${id}-table`} fileName={fileName} />
        {rows.length > 0 && (
          <>
            {' · '}
            <SvgDownload chartId={`${id}-chart`} fileName={fileName} />
          </>
        )}
      </div>
    </figure>
  );
}
