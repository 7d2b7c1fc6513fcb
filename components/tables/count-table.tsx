// A table of counts with their share of a total, labelled by the heading with `labelledBy`.
import { formatCount, formatPercent } from '@/lib/format';

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

export function CountTable({ labelledBy, heading, rows, total }: { labelledBy: string; heading: string; rows: CountRow[]; total: number }) {
  return (
    <table aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col" className="num">
            Referrals
          </th>
          <th scope="col" className="num">
            Share
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.label}</td>
            <td className="num">{formatCount(r.count)}</td>
            <td className="num">{formatPercent(r.count / total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
