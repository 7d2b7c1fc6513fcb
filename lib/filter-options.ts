// The values the filter bar offers, with names, from the data itself.
import type { Db } from '@/db/client';
import { CONTENT_TYPE_CODES, KIND_CODES } from '@/db/queries/facts';
import { IDEOLOGIES, PLATFORM_TYPES } from '@/db/schema';
import type { Dimension } from '@/lib/filters';
import { languageName } from '@/lib/metrics/dimensions';
import { getFacts } from '@/lib/metrics/fact-store';

export interface FilterOption {
  value: string;
  label: string;
}

export type FilterOptions = Record<Dimension, FilterOption[]>;

const label = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replaceAll('_', ' ');

export function getFilterOptions(db: Db): FilterOptions {
  const { facts } = getFacts(db);
  const d = facts.dictionaries;
  const named = (dict: { codes: string[]; names: string[] }) =>
    dict.codes.map((value, i) => ({ value, label: dict.names[i] })).sort((a, b) => a.label.localeCompare(b.label));
  return {
    platform: named(d.platform),
    platform_type: PLATFORM_TYPES.map((value) => ({ value, label: label(value) })),
    group: named(d.group),
    ideology: IDEOLOGIES.map((value) => ({ value, label: label(value) })),
    language: d.language.codes.map((value) => ({ value, label: `${languageName(value)} (${value})` })).sort((a, b) => a.label.localeCompare(b.label)),
    content_type: CONTENT_TYPE_CODES.map((value) => ({ value, label: label(value) })),
    unit: named(d.unit),
    campaign: named(d.campaign),
    kind: KIND_CODES.map((value) => ({ value, label: value === 'removal_order' ? 'Removal order' : 'Referral' })),
  };
}
