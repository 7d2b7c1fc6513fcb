// METRICS.md "Spread and exposure": content seen on several platforms, and
// platforms new in the period.
import type { FactColumns } from '@/db/queries/facts';
import { referredRange, type Filters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';
import { selectRows } from './selection';

export interface SpreadItem {
  content_hash: string;
  platform_count: number;
  referrals: number;
  /** In order of first referral. */
  platforms: { key: string; name: string; first_referred_at: string; referrals: number }[];
}

/** Content hashes referred on two or more platforms, most platforms first. */
export function crossPlatformSpread(facts: FactColumns, filters: Filters): SpreadItem[] {
  const rows = selectRows(facts, filters);
  const byHash = new Map<number, Map<number, { first: number; count: number }>>();
  for (const i of rows) {
    const h = facts.contentHash[i];
    if (h < 0) continue;
    let platforms = byHash.get(h);
    if (!platforms) byHash.set(h, (platforms = new Map()));
    const p = facts.platform[i];
    const seen = platforms.get(p);
    if (!seen) platforms.set(p, { first: facts.referredAt[i], count: 1 });
    else {
      seen.count++;
      if (facts.referredAt[i] < seen.first) seen.first = facts.referredAt[i];
    }
  }
  const d = facts.dictionaries.platform;
  const items: (SpreadItem & { firstAt: number })[] = [];
  for (const [h, platforms] of byHash) {
    if (platforms.size < 2) continue;
    const ordered = [...platforms.entries()].sort((a, b) => a[1].first - b[1].first || (d.codes[a[0]] < d.codes[b[0]] ? -1 : 1));
    items.push({
      content_hash: facts.hashes[h],
      platform_count: platforms.size,
      referrals: ordered.reduce((sum, [, v]) => sum + v.count, 0),
      platforms: ordered.map(([p, v]) => ({ key: d.codes[p], name: d.names[p], first_referred_at: formatInstant(v.first), referrals: v.count })),
      firstAt: ordered[0][1].first,
    });
  }
  items.sort((a, b) => b.platform_count - a.platform_count || a.firstAt - b.firstAt || (a.content_hash < b.content_hash ? -1 : 1));
  return items.map(({ firstAt: _firstAt, ...item }) => item);
}

/** Platforms whose first referral (under the other filters, up to as_of) falls inside the period. */
export function newPlatforms(facts: FactColumns, filters: Filters) {
  const everything = selectRows(facts, { ...filters, from: null, to: null });
  const first = new Map<number, number>();
  for (const i of everything) {
    const p = facts.platform[i];
    const t = facts.referredAt[i];
    const known = first.get(p);
    if (known === undefined || t < known) first.set(p, t);
  }
  const { start, end } = referredRange(filters);
  const d = facts.dictionaries.platform;
  return [...first.entries()]
    .filter(([, t]) => (start === null || t >= start) && (end === null || t < end))
    .sort((a, b) => a[1] - b[1])
    .map(([p, t]) => ({ key: d.codes[p], name: d.names[p], type: facts.platformType[p], first_referred_at: formatInstant(t) }));
}
