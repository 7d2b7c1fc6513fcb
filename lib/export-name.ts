// File names of exports and briefings, chosen by the server from the period,
// the filters and as_of, so that a saved file says what it holds.
import { DIMENSIONS, type Filters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';

const MAX_FILTER_TEXT = 120;

/** e.g. "referrals_2026-05-01-to-2026-10-31_platform-vidora+chirpnet_as-of-2026-11-01T0000Z.csv". */
export function exportFileName(subject: string, filters: Filters, extension: string): string {
  const period = filters.from || filters.to ? `${filters.from ?? 'start'}-to-${filters.to ?? 'as-of'}` : 'all-dates';
  let chosen = DIMENSIONS.filter((d) => filters.values[d].length > 0)
    .map((d) => `${d.replace('_', '-')}-${filters.values[d].join('+')}`)
    .join('_');
  // Codes are letters, digits, ".", "_" and "-" (lib/filters.ts); a long list is cut, and says so.
  if (chosen.length > MAX_FILTER_TEXT) chosen = `${chosen.slice(0, MAX_FILTER_TEXT)}-and-more`;
  const asOf = formatInstant(filters.asOf).slice(0, 16).replaceAll(':', '') + 'Z';
  const name = [subject, period, chosen, `as-of-${asOf}`].filter(Boolean).join('_');
  return `${name.replace(/[^A-Za-z0-9._+-]/g, '-')}.${extension}`;
}

/** A Content-Disposition header that makes the browser save the file under that name. */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}
