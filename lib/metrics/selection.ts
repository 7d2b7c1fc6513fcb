// Which referrals a view is about: those that exist at as_of (referred_at ≤
// as_of, METRICS.md), within the from/to days, matching every dimension filter.
import { NO_CODE, type FactColumns } from './facts';
import { CONTENT_TYPES, KINDS } from '@/db/codes';
import { referredRange, type Dimension, type Filters } from '@/lib/filters';

/** Per-code membership for one dimension, or null when the dimension is not filtered. */
function allowed(facts: FactColumns, filters: Filters, dimension: Dimension): Uint8Array | null {
  const wanted = filters.values[dimension];
  if (wanted.length === 0) return null;
  const d = facts.dictionaries;
  const mark = (size: number, codeOf: (i: number) => string) => {
    const set = new Set(wanted);
    const out = new Uint8Array(size + 1);
    for (let i = 0; i < size; i++) if (set.has(codeOf(i))) out[i] = 1;
    return out;
  };
  switch (dimension) {
    case 'platform':
      return mark(d.platform.codes.length, (i) => d.platform.codes[i]);
    case 'platform_type':
      return mark(d.platform.codes.length, (i) => facts.platformType[i]);
    case 'group':
      return mark(d.group.codes.length, (i) => d.group.codes[i]);
    case 'ideology':
      return mark(d.group.codes.length, (i) => facts.groupIdeology[i]);
    case 'language':
      return mark(d.language.codes.length, (i) => d.language.codes[i]);
    case 'unit':
      return mark(d.unit.codes.length, (i) => d.unit.codes[i]);
    case 'campaign': {
      // NO_CODE (no campaign) is never selected by a campaign filter.
      const out = new Uint8Array(NO_CODE + 1);
      const set = new Set(wanted);
      d.campaign.codes.forEach((c, i) => (out[i] = set.has(c) ? 1 : 0));
      return out;
    }
    case 'content_type':
      return mark(CONTENT_TYPES.length, (i) => CONTENT_TYPES[i]);
    case 'kind':
      return mark(KINDS.length, (i) => KINDS[i]);
  }
}

/** Row indices of the referrals selected by the filters. */
export function selectRows(facts: FactColumns, filters: Filters): Uint32Array {
  const { start, end } = referredRange(filters);
  const lo = start ?? -Infinity;
  const hi = Math.min(end ?? Infinity, filters.asOf + 1);
  const tests: [ArrayLike<number>, Uint8Array][] = [];
  const add = (column: ArrayLike<number>, dimension: Dimension) => {
    const a = allowed(facts, filters, dimension);
    if (a) tests.push([column, a]);
  };
  add(facts.platform, 'platform');
  add(facts.platform, 'platform_type');
  add(facts.group, 'group');
  add(facts.group, 'ideology');
  add(facts.language, 'language');
  add(facts.unit, 'unit');
  add(facts.campaign, 'campaign');
  add(facts.contentType, 'content_type');
  add(facts.kind, 'kind');
  const out = new Uint32Array(facts.size);
  let n = 0;
  const referredAt = facts.referredAt;
  outer: for (let i = 0; i < facts.size; i++) {
    const t = referredAt[i];
    if (t < lo || t >= hi) continue;
    for (let k = 0; k < tests.length; k++) if (!tests[k][1][tests[k][0][i]]) continue outer;
    out[n++] = i;
  }
  return out.subarray(0, n);
}
