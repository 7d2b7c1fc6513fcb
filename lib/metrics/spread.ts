// METRICS.md "Spread and exposure": content seen on several platforms, and
// platforms new in the period.
import type { FactColumns } from './facts';
import { referredRange, type Filters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';
import { selectRows } from './selection';

export interface SpreadItem {
  /** The fingerprint: null for those who may not see records (it identifies one item of content). */
  content_hash: string | null;
  platform_count: number;
  referrals: number;
  /** In order of first referral: the day for everyone, the instant (close to record level) only with records. */
  platforms: { key: string; name: string; first_referred_on: string; first_referred_at: string | null; referrals: number }[];
}

/**
 * Content hashes referred on two or more platforms, most platforms first
 * (then earliest first referral, then hash): how many there are, and the
 * first `limit` of them.
 */
export function crossPlatformSpread(facts: FactColumns, filters: Filters, limit: number): { total: number; items: SpreadItem[] } {
  const rows = selectRows(facts, filters);
  const { contentHash, platform, referredAt } = facts;
  // The selected rows bucketed by hash code (a counting sort: no map per hash).
  const start = new Int32Array(facts.hashes.length + 1);
  for (let k = 0; k < rows.length; k++) if (contentHash[rows[k]] >= 0) start[contentHash[rows[k]] + 1]++;
  for (let h = 0; h < facts.hashes.length; h++) start[h + 1] += start[h];
  const filled = start.slice(0, -1);
  const byHash = new Uint32Array(start[facts.hashes.length]);
  for (let k = 0; k < rows.length; k++) {
    const h = contentHash[rows[k]];
    if (h >= 0) byHash[filled[h]++] = rows[k];
  }
  const d = facts.dictionaries.platform;
  type Seen = { p: number; first: number; count: number };
  const found: { h: number; platforms: Seen[]; referrals: number; firstAt: number }[] = [];
  for (let h = 0; h < facts.hashes.length; h++) {
    if (start[h + 1] - start[h] < 2) continue;
    // A hash is seen on a few platforms at most: a short list beats a map.
    const platforms: Seen[] = [];
    for (let j = start[h]; j < start[h + 1]; j++) {
      const i = byHash[j];
      const seen = platforms.find((x) => x.p === platform[i]);
      if (!seen) platforms.push({ p: platform[i], first: referredAt[i], count: 1 });
      else {
        seen.count++;
        if (referredAt[i] < seen.first) seen.first = referredAt[i];
      }
    }
    if (platforms.length < 2) continue;
    platforms.sort((a, b) => a.first - b.first || (d.codes[a.p] < d.codes[b.p] ? -1 : 1));
    found.push({ h, platforms, referrals: start[h + 1] - start[h], firstAt: platforms[0].first });
  }
  const hashes = facts.hashes;
  found.sort((a, b) => b.platforms.length - a.platforms.length || a.firstAt - b.firstAt || (hashes[a.h] < hashes[b.h] ? -1 : 1));
  return {
    total: found.length,
    items: found.slice(0, limit).map((f) => ({
      content_hash: hashes[f.h],
      platform_count: f.platforms.length,
      referrals: f.referrals,
      platforms: f.platforms.map((x) => ({ key: d.codes[x.p], name: d.names[x.p], first_referred_on: formatInstant(x.first).slice(0, 10), first_referred_at: formatInstant(x.first), referrals: x.count })),
    })),
  };
}

/**
 * The spread as a role without records may see it (README, roles): which
 * platforms and on which days, never the fingerprint nor the exact instants,
 * which would let a viewer single out one item and its referrals.
 */
export function spreadWithoutRecords(items: readonly SpreadItem[]): SpreadItem[] {
  return items.map((item) => ({ ...item, content_hash: null, platforms: item.platforms.map((p) => ({ ...p, first_referred_at: null })) }));
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
