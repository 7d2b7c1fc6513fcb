// The values the filter bar offers, with names, from the data itself.
import { CONTENT_TYPES, DIMENSIONS, IDEOLOGIES, KINDS, PLATFORM_TYPES, type Dimension, type Filters } from '@/lib/filters';
import { languageName } from '@/lib/metrics/dimensions';
import type { FactSnapshot } from '@/lib/metrics/fact-store';

export interface FilterOption {
  value: string;
  label: string;
}

export type FilterOptions = Record<Dimension, FilterOption[]>;

const label = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replaceAll('_', ' ');

export function getFilterOptions({ facts }: FactSnapshot): FilterOptions {
  const d = facts.dictionaries;
  const named = (dict: { codes: string[]; names: string[] }) =>
    dict.codes.map((value, i) => ({ value, label: dict.names[i] })).sort((a, b) => a.label.localeCompare(b.label));
  return {
    platform: named(d.platform),
    platform_type: PLATFORM_TYPES.map((value) => ({ value, label: label(value) })),
    group: named(d.group),
    ideology: IDEOLOGIES.map((value) => ({ value, label: label(value) })),
    language: d.language.codes.map((value) => ({ value, label: `${languageName(value)} (${value})` })).sort((a, b) => a.label.localeCompare(b.label)),
    content_type: CONTENT_TYPES.map((value) => ({ value, label: label(value) })),
    unit: named(d.unit),
    campaign: named(d.campaign),
    kind: KINDS.map((value) => ({ value, label: value === 'removal_order' ? 'Removal order' : 'Referral' })),
  };
}

const DIMENSION_LABELS: Record<Dimension, string> = {
  platform: 'Provider',
  platform_type: 'Platform type',
  group: 'Group',
  ideology: 'Ideology',
  language: 'Language',
  content_type: 'Content type',
  unit: 'Referral unit',
  campaign: 'Campaign',
  kind: 'Kind',
};

/** The dimension filters in words with names, e.g. ["Provider: Vidora, Chirpnet", "Language: Arabic (ar)"]; empty without any. */
export function filtersInWords(filters: Filters, options: FilterOptions): string[] {
  return DIMENSIONS.filter((d) => filters.values[d].length > 0).map((d) => {
    const labels = new Map(options[d].map((o) => [o.value, o.label]));
    const names = filters.values[d].map((v) => labels.get(v) ?? v);
    return `${DIMENSION_LABELS[d]}: ${names.join(', ')}`;
  });
}
