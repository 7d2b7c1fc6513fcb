// The words and examples of the filter parameters in the OpenAPI document.
// Their types, patterns and allowed values come from the schemas that parse
// them (lib/filters.ts); an example must parse, which the OpenAPI test
// checks for every endpoint.
import { CONTENT_TYPES, IDEOLOGIES, KINDS, PLATFORM_TYPES } from '@/db/codes';
import { EARLIEST_DAY, type FilterParam } from '@/lib/filters';

export interface ParamDoc {
  description: string;
  example: string;
  /** A JSON Schema format the text has (beside the pattern or values of its schema). */
  format?: 'date' | 'date-time';
}

const day = (description: string, example: string): ParamDoc => ({ description: `${description} A date YYYY-MM-DD (UTC), from ${EARLIEST_DAY}.`, example, format: 'date' });

export const FILTER_DOCS: Record<FilterParam, ParamDoc> = {
  from: day('First day included, on referred_at.', '2026-02-01'),
  to: day('Last day included, on referred_at.', '2026-02-28'),
  as_of: {
    description: 'METRICS.md: the instant the figures describe, as known then (ISO 8601 with Z or an offset). Default: now, to the whole minute.',
    example: '2026-03-01T00:00:00Z',
    format: 'date-time',
  },
  platform: { description: 'Platform (provider) codes.', example: 'alpha' },
  platform_type: { description: 'Platform types.', example: PLATFORM_TYPES[0] },
  group: { description: 'Group codes.', example: 'daesh' },
  ideology: { description: 'Ideologies.', example: IDEOLOGIES[0] },
  language: { description: "Languages: ISO 639-1 codes, or 'und' (undetermined), 'zxx' (no linguistic content).", example: 'en' },
  content_type: { description: 'Content types.', example: CONTENT_TYPES[0] },
  unit: { description: 'Referral unit codes.', example: 'eu_iru' },
  campaign: { description: 'Campaign codes.', example: 'c1' },
  kind: { description: 'Kinds of record.', example: KINDS[0] },
};
