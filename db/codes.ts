// The code lists of DATA-MODEL.md, engine-neutral: every schema, query,
// fact column and metric takes its codes from here. A code stored in a
// typed column is its index in the list; code that needs one index names it
// through the `…_CODE` objects, never as a bare number.

export const PLATFORM_TYPES = ['video', 'social', 'messaging', 'file_sharing', 'paste', 'archive', 'forum', 'other'] as const;
export const IDEOLOGIES = ['jihadist', 'far_right', 'far_left', 'ethno_separatist', 'other', 'unattributed'] as const;
export const KINDS = ['referral', 'removal_order'] as const;
export const CONTENT_TYPES = ['video', 'image', 'audio', 'text', 'document', 'account', 'livestream', 'other'] as const;
export const OUTCOMES = ['pending', 'removed', 'disabled', 'rejected', 'unavailable'] as const;
export const BATCH_STATUSES = ['committed', 'rejected'] as const;
export const BATCH_FORMATS = ['csv', 'json', 'ndjson', 'generator'] as const;
export const ROLES = ['viewer', 'analyst', 'steward', 'admin'] as const;

export type PlatformType = (typeof PLATFORM_TYPES)[number];
export type Ideology = (typeof IDEOLOGIES)[number];
export type Kind = (typeof KINDS)[number];
export type ContentType = (typeof CONTENT_TYPES)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export type BatchFormat = (typeof BATCH_FORMATS)[number];
export type Role = (typeof ROLES)[number];

/** Each code of a list by name → its index, e.g. OUTCOME_CODE.removed === 1. */
function indexes<const T extends readonly string[]>(list: T): { readonly [K in T[number]]: number } {
  return Object.freeze(Object.fromEntries(list.map((code, i) => [code, i]))) as { readonly [K in T[number]]: number };
}

export const OUTCOME_CODE = indexes(OUTCOMES);
export const KIND_CODE = indexes(KINDS);
export const CONTENT_TYPE_CODE = indexes(CONTENT_TYPES);

/**
 * METRICS.md, "The state of a referral at as_of". A referral is actioned,
 * declined or excluded once an outcome of that status is recorded with
 * outcome_at ≤ as_of; otherwise it is open. lib/metrics/state.ts walks the
 * fact columns and db/sqlite selects records by these same lists.
 */
export const STATUSES = ['actioned', 'declined', 'open', 'excluded'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_CODE = indexes(STATUSES);
export const SETTLING_OUTCOMES: Readonly<Record<Exclude<Status, 'open'>, readonly Outcome[]>> = {
  actioned: ['removed', 'disabled'],
  declined: ['rejected'],
  excluded: ['unavailable'],
};

/** The dimensions a referral is filtered and broken down by (API.md). */
export const DIMENSIONS = ['platform', 'platform_type', 'group', 'ideology', 'language', 'content_type', 'unit', 'campaign', 'kind'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The sort keys of a list of records. */
export const REFERRAL_SORTS = ['referred_at', 'outcome_at', 'received_at', 'platform', 'group', 'language', 'kind', 'outcome', 'referral_id'] as const;
export type ReferralSort = (typeof REFERRAL_SORTS)[number];

/** The reason parameter's value for "no reason given" (not a reason code: codes have no '-'). */
export const NO_REASON_GIVEN = '-';
