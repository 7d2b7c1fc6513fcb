// The referral facts every metric is computed from, as the store hands
// them over: typed columns, one entry per referral, codes dictionary-encoded.
// Engine-neutral: every engine fills the same columns.

export interface Dictionary {
  codes: string[];
  names: string[];
  index: Map<string, number>;
}

export interface StoredFacts {
  size: number;
  /** The row's id in the referrals table (to fetch the records a metric points at). */
  rowId: Float64Array;
  referredAt: Float64Array;
  /** clock_paused_hours in ms (0 when none). */
  pausedMs: Float64Array;
  receivedAt: Float64Array; // NaN when none
  outcomeAt: Float64Array; // NaN when pending
  outcome: Uint8Array; // OUTCOME_CODE
  kind: Uint8Array; // KIND_CODE
  contentType: Uint8Array; // CONTENT_TYPE_CODE
  platform: Uint16Array;
  group: Uint16Array;
  language: Uint16Array;
  unit: Uint16Array;
  campaign: Uint16Array; // NO_CODE when none
  contentHash: Int32Array; // -1 when none
  /** outcome_reason as an index into `reasons`; NO_REASON when none. */
  outcomeReason: Uint16Array;
  reasons: string[];
  viewsAtReferral: Float64Array; // NaN when unknown
  viewsAtOutcome: Float64Array; // NaN when unknown
  dictionaries: {
    platform: Dictionary;
    group: Dictionary;
    language: Dictionary;
    unit: Dictionary;
    campaign: Dictionary;
  };
  /** Per platform code: its type; per group code: its ideology. */
  platformType: string[];
  groupIdeology: string[];
  /** Content hashes by their code in contentHash. */
  hashes: string[];
}

export const NO_CODE = 0xffff;
export const NO_REASON = 0xffff;

export function dictionary(rows: readonly { code: string; name: string }[]): Dictionary {
  return { codes: rows.map((r) => r.code), names: rows.map((r) => r.name), index: new Map(rows.map((r, i) => [r.code, i])) };
}
