// The dimensions of METRICS.md "Volumes" and API.md breakdowns: for each, the
// key of a referral (null when it has none, e.g. no campaign) and a name.
import { CONTENT_TYPE_CODES, KIND_CODES, NO_CODE, type FactColumns } from '@/db/queries/facts';
import type { Dimension } from '@/lib/filters';

export interface DimensionKeys {
  /** Key per row index; null when the referral has no value for the dimension. */
  keyOf: (row: number) => string | null;
  nameOf: (key: string) => string;
}

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

export function dimensionKeys(facts: FactColumns, dimension: Dimension): DimensionKeys {
  const d = facts.dictionaries;
  const byCode = (codes: string[], names: string[]) => {
    const index = new Map(codes.map((c, i) => [c, names[i]]));
    return (key: string) => index.get(key) ?? key;
  };
  switch (dimension) {
    case 'platform':
      return { keyOf: (i) => d.platform.codes[facts.platform[i]], nameOf: byCode(d.platform.codes, d.platform.names) };
    case 'platform_type':
      return { keyOf: (i) => facts.platformType[facts.platform[i]], nameOf: label };
    case 'group':
      return { keyOf: (i) => d.group.codes[facts.group[i]], nameOf: byCode(d.group.codes, d.group.names) };
    case 'ideology':
      return { keyOf: (i) => facts.groupIdeology[facts.group[i]], nameOf: label };
    case 'language':
      return { keyOf: (i) => d.language.codes[facts.language[i]], nameOf: languageName };
    case 'content_type':
      return { keyOf: (i) => CONTENT_TYPE_CODES[facts.contentType[i]], nameOf: label };
    case 'unit':
      return { keyOf: (i) => d.unit.codes[facts.unit[i]], nameOf: byCode(d.unit.codes, d.unit.names) };
    case 'campaign':
      return {
        keyOf: (i) => (facts.campaign[i] === NO_CODE ? null : d.campaign.codes[facts.campaign[i]]),
        nameOf: byCode(d.campaign.codes, d.campaign.names),
      };
    case 'kind':
      return { keyOf: (i) => KIND_CODES[facts.kind[i]], nameOf: label };
  }
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

export function languageName(code: string): string {
  if (code === 'und') return 'Undetermined';
  if (code === 'zxx') return 'No linguistic content';
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Row indices grouped by key, keys in ascending order; rows without a key are left out. */
export function groupRows(rows: Uint32Array, keys: DimensionKeys): { key: string; rows: Uint32Array }[] {
  const groups = new Map<string, number[]>();
  for (let k = 0; k < rows.length; k++) {
    const key = keys.keyOf(rows[k]);
    if (key === null) continue;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(rows[k]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => ({ key, rows: Uint32Array.from(list) }));
}
