// Endpoint parameters beyond the filters (zod, one string each).
import { z } from 'zod';
import { DIMENSIONS } from '@/lib/filters';
import { BUCKETS } from '@/lib/metrics/periods';
import { DEFAULT_KM_POINTS } from '@/lib/metrics/summary';
import { REFERRAL_SORTS, STATUSES } from '@/db/codes';

export const byParam = z.enum(DIMENSIONS, { error: `must be one of ${DIMENSIONS.join(', ')}` }).meta({ description: 'The dimension to break down by.', example: 'platform' });
export const bucketParam = z.enum(BUCKETS, { error: `must be one of ${BUCKETS.join(', ')}` }).optional().meta({ description: 'The length of a period of the time series.', example: 'month' });

/** A whole number from min to max; absent when not given. */
export function wholeNumberParam(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }))
    .optional()
    .meta({ description: `${description} A whole number from ${min} to ${max}.`, example: String(Math.min(max, Math.max(min, 2))) });
}

/** A whole number from min to max, `fallback` when not given. */
export function intParam(min: number, max: number, fallback: number, description: string) {
  return wholeNumberParam(min, max, `${description} Default ${fallback}.`).transform((v) => v ?? fallback);
}

/** A share from 0 to 1; absent when not given. */
export function shareParam(description: string) {
  return z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'must be a share from 0 to 1, e.g. 0.9' })
    .transform(Number)
    .optional()
    .meta({ description: `${description} A share from 0 to 1.`, example: '0.9' });
}

/** The Kaplan–Meier rows an answer may hold, at most (summary, breakdown, comparison: the same parameter on each). */
export const kmPointsParam = intParam(2, 100_000, DEFAULT_KM_POINTS, 'The Kaplan–Meier rows to return at most (an even subset of the event times).');

/** sort of the records: a column, descending with a leading '-'. */
const referralSorts = REFERRAL_SORTS.flatMap((s) => [s, `-${s}`]) as [string, ...string[]];
export const referralSortParam = z.enum(referralSorts, { error: `must be one of ${referralSorts.join(', ')}` }).optional().meta({ description: "The column to sort by, descending with a leading '-'. Default -referred_at.", example: 'platform' });

/** Records only: status at as_of (METRICS.md) and outcome_reason, so that a figure can link to the records behind it. */
export const recordSelectionParams = {
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }).optional().meta({ description: 'Only records in this status at as_of (METRICS.md).', example: 'open' }),
  reason: z
    .string()
    .regex(/^([a-z0-9_]{1,64}|-)$/, { error: "is not a reason code (lower-case letters, digits and _), or '-' for none given" })
    .optional()
    .meta({ description: "Only records with this outcome_reason, or '-' for those without one.", example: '-' }),
};

/** A calendar year (transparency reports). */
export const yearParam = z
  .string({ error: 'is required: the calendar year of the report, e.g. 2025' })
  .regex(/^\d{4}$/, { error: 'must be a year such as 2025' })
  .transform(Number)
  .pipe(z.number().min(2000, { error: 'must be 2000 or later' }).max(2100, { error: 'must be 2100 or earlier' }))
  .meta({ description: 'The calendar year of the report (the period is that year).', example: '2026' });
