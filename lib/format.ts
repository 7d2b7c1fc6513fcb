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
