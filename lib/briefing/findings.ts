// The key findings of a briefing: sentences generated from the figures,
// never written by hand. Pure: the figures in, the sentences out.
import { formatHours, formatInstantUtc, formatPercent } from '@/lib/format';
import type { BreakdownRow, Summary } from '@/lib/metrics';
import { countWords } from './small-numbers';

export interface FindingsInput {
  /** METRICS.md "Small numbers": below k, counts are "fewer than k" and rates are not given. */
  k: number;
  asOf: number;
  /** e.g. "from 1 May 2026 to 31 Oct 2026". */
  period: string;
  /** The previous period of equal length in words, when the period has both ends. */
  previousPeriod: string | null;
  all: { current: Summary; previous: Summary | null };
  orders: { current: Summary; previous: Summary | null };
  providers: BreakdownRow[];
  flagged: { name: string; triggering_months: string[] }[];
  failureTarget: number;
}

const percent = (share: number) => formatPercent(share);
const interval = (lower: number | null, upper: number | null) => (lower === null || upper === null ? '' : ` (${Math.round(lower * 100)}–${Math.round(upper * 100)}%)`);

function against(current: number | null, previous: number | null, previousOk: boolean): string {
  if (current === null || previous === null || !previousOk) return '';
  const [a, b] = [Math.round(current * 100), Math.round(previous * 100)];
  return a < b ? `, down from ${b}% in the previous period` : a > b ? `, up from ${b}% in the previous period` : `, the same as in the previous period`;
}

export function keyFindings(input: FindingsInput): string[] {
  const { k, all, orders } = input;
  const asOf = formatInstantUtc(input.asOf);
  const out: string[] = [];

  // Volume.
  const total = all.current.total;
  const volumeChange =
    all.previous && input.previousPeriod
      ? ` (against ${countWords(all.previous.total, k)} in the previous period, ${input.previousPeriod})`
      : '';
  out.push(
    total === 0
      ? `No referral matches these filters ${input.period}.`
      : `${capitalise(countWords(total, k))} ${total === 1 ? 'item was' : 'items were'} referred ${input.period}${volumeChange}; ${countWords(orders.current.total, k)} of them by removal order.`,
  );
  if (total === 0) return out;

  // Removal rate.
  const s = all.current;
  if (s.n >= k && s.removal_rate !== null)
    out.push(
      `Of ${countWords(s.n, k)} referred items still available when referred, ${percent(s.removal_rate)}${interval(s.removal_rate_lower, s.removal_rate_upper)} had been removed or disabled by ${asOf}${against(s.removal_rate, all.previous?.removal_rate ?? null, (all.previous?.n ?? 0) >= k)}.`,
    );

  // The one-hour rule (Regulation 2021/784, Art. 3(3)).
  const hour = orders.current.compliance.find((c) => c.hours === 1);
  const hourBefore = orders.previous?.compliance.find((c) => c.hours === 1) ?? null;
  if (hour && hour.eligible >= k && hour.rate !== null)
    out.push(
      `Of ${countWords(hour.eligible, k)} removal orders at least one hour old, ${percent(hour.rate)}${interval(hour.lower, hour.upper)} were executed within the hour${against(hour.rate, hourBefore?.rate ?? null, (hourBefore?.eligible ?? 0) >= k)}.`,
    );
  else if (hour && hour.eligible > 0) out.push(`Fewer than ${k} removal orders were at least one hour old: too few for a compliance rate.`);

  // Median time to removal.
  if (s.n >= k)
    out.push(
      s.km_median !== null
        ? `Half of the referred items were removed within ${formatHours(s.km_median)} of the clock start (95% interval ${formatHours(s.km_median_lower)} to ${s.km_median_upper === null ? 'not reached' : formatHours(s.km_median_upper)}), counting the items still online as such.`
        : `Fewer than half of the referred items had been removed by ${asOf}: the median time to removal is not reached (more than ${formatHours(s.max_follow_up)}).`,
    );

  // Fastest and slowest providers.
  const judged = input.providers.filter((p) => p.n >= k);
  const reached = judged.filter((p) => p.km_median !== null).sort((a, b) => a.km_median! - b.km_median!);
  const notReached = judged.filter((p) => p.km_median === null);
  if (reached.length >= 2 || (reached.length && notReached.length)) {
    const fastest = reached[0];
    const slowest = notReached.length ? null : reached[reached.length - 1];
    const slow = slowest
      ? `the slowest ${slowest.name} (${formatHours(slowest.km_median)}, n = ${countWords(slowest.n, k)})`
      : `${listNames(notReached.map((p) => p.name))} had not removed half of ${notReached.length === 1 ? 'its' : 'their'} referred items (median not reached)`;
    out.push(`Among providers with at least ${k} referrals, the fastest median time to removal was ${fastest.name}'s (${formatHours(fastest.km_median)}, n = ${countWords(fastest.n, k)}); ${slow}.`);
  }

  // Still online after 7 days.
  if (s.open_over_7_days > 0) {
    const most = [...input.providers].sort((a, b) => b.open_over_7_days - a.open_over_7_days)[0];
    const where = most && most.open_over_7_days >= k ? `, ${countWords(most.open_over_7_days, k)} of them on ${most.name}` : '';
    out.push(`${capitalise(countWords(s.open_over_7_days, k))} referred items were still online after 7 days at ${asOf}${where}.`);
  } else out.push(`No referred item was still online after 7 days at ${asOf}.`);

  // Persistent failure.
  out.push(
    input.flagged.length === 0
      ? `No provider is flagged for persistent failure of the one-hour rule (compliance below ${percent(input.failureTarget)} in consecutive judged months).`
      : `${input.flagged.length === 1 ? 'One provider is' : `${input.flagged.length} providers are`} flagged for persistent failure of the one-hour rule (compliance below ${percent(input.failureTarget)}): ${input.flagged.map((f) => `${f.name} (${f.triggering_months.join(', ')})`).join('; ')}.`,
  );
  return out;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
