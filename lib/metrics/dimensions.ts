// The dimensions of METRICS.md "Volumes" and API.md breakdowns: their
// names, and rows grouped by integer codes.
import { CONTENT_TYPES, KINDS } from '@/db/codes';
import { NO_CODE, type FactColumns } from './facts';
import type { Dimension } from '@/lib/filters';
import { bucketIndexer } from './periods';

const LABELS: Record<string, string> = {
  referral: 'Referral',
  removal_order: 'Removal order',
  file_sharing: 'File sharing',
  far_right: 'Far right',
  far_left: 'Far left',
  ethno_separatist: 'Ethno-separatist',
};

function label(code: string): string {
  return LABELS[code] ?? code.charAt(0).toUpperCase() + code.slice(1).replaceAll('_', ' ');
}

/** The name shown for a key of the dimension (reference names, language names, or the code in words). */
export interface DimensionKeys {
  nameOf: (key: string) => string;
}

export function dimensionKeys(facts: FactColumns, dimension: Dimension): DimensionKeys {
  const d = facts.dictionaries;
  const dictionaries: Partial<Record<Dimension, { codes: string[]; names: string[] }>> = {
    platform: d.platform,
    group: d.group,
    unit: d.unit,
    campaign: d.campaign,
  };
  const dictionary = dictionaries[dimension];
  if (dictionary) {
    const index = new Map(dictionary.codes.map((c, i) => [c, dictionary.names[i]]));
    return { nameOf: (key) => index.get(key) ?? key };
  }
  return { nameOf: dimension === 'language' ? languageName : label };
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

export function languageName(code: string): string {
  if (code === 'und') return 'Undetermined';
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The dimension as a code column and a map from code to group: rows are
 * grouped by integer codes, never by strings (this runs over millions of rows).
 */
export function codeGroups(facts: FactColumns, dimension: Dimension): { column: ArrayLike<number>; groupOf: Int32Array; keys: string[] } {
  const d = facts.dictionaries;
  let column: ArrayLike<number>;
  let keyOfCode: (string | null)[];
  switch (dimension) {
    case 'platform':
      [column, keyOfCode] = [facts.platform, d.platform.codes];
      break;
    case 'platform_type':
      [column, keyOfCode] = [facts.platform, facts.platformType];
      break;
    case 'group':
      [column, keyOfCode] = [facts.group, d.group.codes];
      break;
    case 'ideology':
      [column, keyOfCode] = [facts.group, facts.groupIdeology];
      break;
    case 'language':
      [column, keyOfCode] = [facts.language, d.language.codes];
      break;
    case 'content_type':
      [column, keyOfCode] = [facts.contentType, [...CONTENT_TYPES]];
      break;
    case 'unit':
      [column, keyOfCode] = [facts.unit, d.unit.codes];
      break;
    case 'campaign':
      [column, keyOfCode] = [facts.campaign, d.campaign.codes];
      break;
    case 'kind':
      [column, keyOfCode] = [facts.kind, [...KINDS]];
      break;
  }
  const keys = [...new Set(keyOfCode.filter((k): k is string => k !== null))].sort((a, b) => (a < b ? -1 : 1)); // distinct after the Set: never equal
  const position = new Map(keys.map((k, i) => [k, i]));
  // Codes past the dictionary (NO_CODE for "no campaign") belong to no group.
  const groupOf = new Int32Array(NO_CODE + 1).fill(-1);
  keyOfCode.forEach((k, code) => {
    if (k !== null) groupOf[code] = position.get(k)!;
  });
  return { column, groupOf, keys };
}

/** The selected rows split by a group number per row (−1: none), one array per group number, rows in their order. */
export function partitionRows(rows: Uint32Array, groupOfRow: Int32Array, groups: number): Uint32Array[] {
  const counts = new Uint32Array(groups);
  for (let k = 0; k < rows.length; k++) if (groupOfRow[k] >= 0) counts[groupOfRow[k]]++;
  const parts = Array.from(counts, (count) => new Uint32Array(count));
  const filled = new Uint32Array(groups);
  for (let k = 0; k < rows.length; k++) {
    const g = groupOfRow[k];
    if (g >= 0) parts[g][filled[g]++] = rows[k];
  }
  return parts;
}

/** Row indices grouped by key, keys in ascending order; empty groups and rows without a key are left out. */
export function groupRows(facts: FactColumns, rows: Uint32Array, dimension: Dimension): { key: string; rows: Uint32Array }[] {
  const { column, groupOf, keys } = codeGroups(facts, dimension);
  const groupOfRow = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) groupOfRow[k] = groupOf[column[rows[k]]];
  return partitionRows(rows, groupOfRow, keys.length)
    .map((part, g) => ({ key: keys[g], rows: part }))
    .filter((g) => g.rows.length > 0);
}

/**
 * Row indices grouped by key and calendar month (UTC) of referred_at: keys
 * ascending, then months ascending; empty pairs left out.
 */
export function groupRowsByMonth(facts: FactColumns, rows: Uint32Array, dimension: Dimension): { key: string; month: number; rows: Uint32Array }[] {
  const { column, groupOf, keys } = codeGroups(facts, dimension);
  const referredAt = facts.referredAt;
  let first = Infinity;
  let last = -Infinity;
  for (let k = 0; k < rows.length; k++) {
    const t = referredAt[rows[k]];
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const months = bucketIndexer(first, last, 'month');
  const monthCount = months.starts.length;
  const groupOfRow = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const g = groupOf[column[rows[k]]];
    groupOfRow[k] = g < 0 ? -1 : g * monthCount + months.indexOf(referredAt[rows[k]]);
  }
  const out: { key: string; month: number; rows: Uint32Array }[] = [];
  partitionRows(rows, groupOfRow, keys.length * monthCount).forEach((part, g) => {
    if (part.length) out.push({ key: keys[Math.floor(g / monthCount)], month: months.starts[g % monthCount], rows: part });
  });
  return out;
}

/** Referral counts per key, keys in ascending order, empty keys left out. */
export function countRows(facts: FactColumns, rows: Uint32Array, dimension: Dimension): { key: string; count: number }[] {
  const { column, groupOf, keys } = codeGroups(facts, dimension);
  const counts = new Float64Array(keys.length);
  for (let k = 0; k < rows.length; k++) {
    const g = groupOf[column[rows[k]]];
    if (g >= 0) counts[g]++;
  }
  return keys.map((key, g) => ({ key, count: counts[g] })).filter((c) => c.count > 0);
}
