// Campaigns such as a Referral Action Day: what was referred, by whom, in
// which languages and where, and how much came down within 48 hours and 7 days.
import type { Sources } from '@/lib/sources';
import type { Filters } from '@/lib/filters';
import { getBreakdown, getMatrix } from '@/lib/metrics';

/** METRICS.md deadlines for campaigns: 48 hours (a two-day action day) and 7 days. */
export const CAMPAIGN_DEADLINES = [48, 168];

export async function getCampaignOverview({ store, data }: Sources, filters: Filters) {
  const info = new Map((await store.reference.campaigns()).map((c) => [c.code, c]));
  const breakdown = getBreakdown(data, filters, 'campaign', { deadlines: CAMPAIGN_DEADLINES, kmPoints: 150 });
  const distinct = (by: 'unit' | 'language' | 'platform') =>
    new Map(getMatrix(data, filters, 'campaign', by).rows.map((r) => [r.key, r.counts.filter((n) => n > 0).length]));
  const units = distinct('unit');
  const languages = distinct('language');
  const platforms = distinct('platform');
  return breakdown.rows.map((row) => ({
    ...row,
    info: info.get(row.key) ?? null,
    units: units.get(row.key) ?? 0,
    languages: languages.get(row.key) ?? 0,
    platforms: platforms.get(row.key) ?? 0,
  }));
}
