// Removal orders not executed, by the reason given (outcome_reason), each
// count a link to the records behind it for those who may see records.
import Link from 'next/link';
import { formatCount } from '@/lib/format';

export function ReasonTable({ id, labelledBy, rows }: { id: string; labelledBy: string; rows: { reason: string | null; count: number; records?: string }[] }) {
  return (
    <table aria-labelledby={labelledBy} id={id}>
      <thead>
        <tr>
          <th scope="col">Reason given</th>
          <th scope="col" className="num">
            Orders
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.reason ?? '(none)'}>
            <th scope="row">{r.reason ? r.reason.replaceAll('_', ' ') : 'No reason given'}</th>
            <td className="num">
              {r.records ? <Link href={r.records}>{formatCount(r.count)}</Link> : formatCount(r.count)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
