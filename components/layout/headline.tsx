// A headline figure: label, value, what it rests on, and its change against the previous period.
import { formatChange } from '@/lib/format';
import type { Change } from '@/lib/metrics/comparison';

export function Headline({
  label,
  value,
  detail,
  change,
  kind,
  lowN,
}: {
  label: string;
  value: string;
  detail: string;
  change?: Change;
  kind: 'count' | 'share' | 'hours';
  lowN?: boolean;
}) {
  return (
    <div className="headline-card">
      <div className="headline-label">
        {label}
        {lowN && <span className="low-n">low n</span>}
      </div>
      <div className="headline-value">{value}</div>
      <div className="headline-detail">{detail}</div>
      {change && <div className="headline-change">{formatChange(change.absolute, change.relative, kind)} on the previous period</div>}
    </div>
  );
}
