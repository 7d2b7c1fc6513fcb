// A matrix of counts as a heat-map table: shade carries the size, the number
// is always written, so colour never carries meaning alone (UI.md).
import Link from 'next/link';
import { formatCount } from '@/lib/format';

export interface HeatTableData {
  columns: { key: string; name: string; total: number }[];
  rows: { key: string; name: string; total: number; counts: number[] }[];
}

export function HeatTable({
  id,
  caption,
  data,
  rowHeading,
  rowHref,
}: {
  id: string;
  caption: string;
  data: HeatTableData;
  rowHeading: string;
  rowHref?: (key: string) => string;
}) {
  const max = Math.max(1, ...data.rows.flatMap((r) => r.counts));
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
      <table className="heat" id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeading}</th>
            {data.columns.map((c) => (
              <th key={c.key} scope="col" className="num">
                {c.name}
              </th>
            ))}
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{rowHref ? <Link href={rowHref(r.key)}>{r.name}</Link> : r.name}</th>
              {r.counts.map((n, i) => {
                const share = n / max;
                return (
                  <td
                    key={data.columns[i].key}
                    className="num"
                    // Dark text on a shade no deeper than 60%: contrast stays above WCAG AA.
                    style={{ background: n ? `rgba(0, 114, 178, ${(0.06 + 0.54 * share).toFixed(3)})` : undefined }}
                  >
                    {n ? formatCount(n) : '·'}
                  </td>
                );
              })}
              <td className="num">
                <strong>{formatCount(r.total)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
