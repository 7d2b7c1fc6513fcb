'use client';
// Downloads the data table behind a chart as CSV, built in the browser from
// the table itself (raw values from data-value), so the page carries the
// data once.
import { csvPieces } from '@/lib/csv';
import { downloadFile } from './download-file';

export function CsvDownload({ tableId, fileName }: { tableId: string; fileName: string }) {
  const download = () => {
    const table = document.getElementById(tableId);
    if (!table) return;
    const header = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td, th')].map((cell) => (cell as HTMLElement).dataset.value ?? cell.textContent ?? ''));
    downloadFile([...csvPieces(header, rows, (r) => r)].join(''), 'text/csv;charset=utf-8', `${fileName}.csv`);
  };
  return (
    <button type="button" className="link-button" onClick={download}>
      Download data (CSV)
    </button>
  );
}
