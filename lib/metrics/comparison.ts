// METRICS.md "Comparison with the previous period": the same metric over
// the period of equal length just before, as absolute and relative change.
import type { Summary } from './summary';

export interface Change {
  metric: string;
  current: number | null;
  previous: number | null;
  absolute: number | null;
  relative: number | null;
}

function change(metric: string, current: number | null, previous: number | null): Change {
  const both = current !== null && previous !== null;
  return {
    metric,
    current,
    previous,
    absolute: both ? current - previous : null,
    relative: both && previous !== 0 ? (current - previous) / Math.abs(previous) : null,
  };
}

/** The headline figures of two summaries side by side. */
export function compareSummaries(current: Summary, previous: Summary): Change[] {
  const out = [
    change('total', current.total, previous.total),
    change('removal_rate', current.removal_rate, previous.removal_rate),
    change('km_median', current.km_median, previous.km_median),
    change('open_over_7_days', current.open_over_7_days, previous.open_over_7_days),
  ];
  for (const c of current.compliance) {
    const p = previous.compliance.find((x) => x.hours === c.hours);
    out.push(change(`compliance_${c.hours}h`, c.rate, p?.rate ?? null));
  }
  return out;
}
