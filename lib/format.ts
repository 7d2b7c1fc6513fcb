// Numbers and dates as UI.md wants them: thousands separators, UTC dates.
const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** A share in whole percent, e.g. 0.634 → "63%". */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** A UTC calendar date, e.g. "11 May 2026". */
export function formatDate(ms: number): string {
  return new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A UTC instant to the minute, e.g. "11 May 2026, 08:30 UTC". */
export function formatInstantUtc(ms: number): string {
  const d = new Date(ms);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${formatDate(ms)}, ${time} UTC`;
}

/** A duration in the unit a person would use (UI.md): 45 min, 6.5 h, 3.2 days. */
export function formatHours(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return '–';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours < 10 ? hours.toFixed(1).replace(/\.0$/, '') : Math.round(hours)} h`;
  const days = hours / 24;
  return `${days < 10 ? days.toFixed(1).replace(/\.0$/, '') : formatCount(Math.round(days))} days`;
}

/** A rate with its interval, e.g. "63% (58–68%)"; "–" when undefined. */
export function formatRate(rate: number | null, lower?: number | null, upper?: number | null): string {
  if (rate === null) return '–';
  if (lower === null || lower === undefined || upper === null || upper === undefined) return formatPercent(rate);
  return `${formatPercent(rate)} (${Math.round(lower * 100)}–${Math.round(upper * 100)}%)`;
}

/** METRICS.md: "> X h" where a median is not reached, never a number. */
export function formatMedian(median: number | null, maxFollowUp: number | null): string {
  if (median !== null) return formatHours(median);
  return maxFollowUp === null ? 'no data' : `not reached (> ${formatHours(maxFollowUp)})`;
}

/** A change against the previous period, e.g. "+12%" or "−3 points". */
export function formatChange(absolute: number | null, relative: number | null, kind: 'count' | 'share' | 'hours'): string {
  if (absolute === null) return 'no comparison';
  const sign = absolute > 0 ? '+' : absolute < 0 ? '−' : '±';
  if (kind === 'share') return `${sign}${Math.abs(Math.round(absolute * 100))} points`;
  if (kind === 'hours') return `${sign}${formatHours(Math.abs(absolute))}`;
  return relative === null ? `${sign}${formatCount(Math.abs(absolute))}` : `${sign}${Math.abs(Math.round(relative * 100))}%`;
}

/** An ISO instant shortened for tables: "2026-02-28 23:30" (UTC); "–" when absent. */
export function formatUtcMinute(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, '').replace(/Z$/, '') : '–';
}
