'use client';
// The data table behind a chart. A client component only so that its rows
// travel in the page's React payload as plain values (a few bytes a cell)
// rather than as the element tree a server component leaves there (about
// a hundred bytes a cell, for every cell already in the HTML): the
// providers page's Kaplan–Meier table alone was 340 kB of it. The HTML is
// the same either way (rendered on the server).

/** A cell: its text, or its text and the raw value the CSV download takes (data-value). */
export type DataCell = string | number | null | [text: string, value: string | number];

export interface DataColumn {
  label: string;
  numeric: boolean;
}

export function DataTable({ id, caption, columns, rows }: { id: string; caption: string; columns: DataColumn[]; rows: DataCell[][] }) {
  return (
    <table id={id}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} scope="col" className={c.numeric ? 'num' : undefined}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => {
              const [text, value] = Array.isArray(cell) ? cell : [cell ?? '–', undefined];
              return (
                <td key={j} className={columns[j].numeric ? 'num' : undefined} data-value={value}>
                  {text}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
