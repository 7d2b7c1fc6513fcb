// The referral facts every metric is computed from, as the store hands
// them over: typed columns, one entry per referral, codes dictionary-encoded.
// Engine-neutral: every engine fills the same columns.
import { CONTENT_TYPE_CODE, KIND_CODE, OUTCOME_CODE, type ContentType, type Kind, type Outcome } from './codes';

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

/** The columns of a fact row, in the order both engines select them (FACT_COLUMNS_SQL). */
export const FACT_COLUMNS_SQL = `referred_at, received_at, kind, outcome, outcome_at, clock_paused_hours, platform, group_code,
  language, content_type, unit, campaign, content_hash, views_at_referral, views_at_outcome, id, outcome_reason`;

/**
 * Fills the fact columns row by row from rows selected as FACT_COLUMNS_SQL
 * (raw arrays, in id order): the one decoding both engines share, so that
 * their columns are the same to the last value.
 */
export function factColumns(
  size: number,
  reference: {
    platforms: readonly { code: string; name: string; type: string }[];
    groups: readonly { code: string; name: string; ideology: string }[];
    units: readonly { code: string; name: string }[];
    campaigns: readonly { code: string; name: string }[];
    languages: readonly string[];
  },
): { add(row: readonly unknown[]): boolean; finish(): StoredFacts } {
  const dictionaries = {
    platform: dictionary(reference.platforms),
    group: dictionary(reference.groups),
    language: dictionary(reference.languages.map((code) => ({ code, name: code }))),
    unit: dictionary(reference.units),
    campaign: dictionary(reference.campaigns),
  };
  const f: StoredFacts = {
    size,
    rowId: new Float64Array(size),
    referredAt: new Float64Array(size),
    pausedMs: new Float64Array(size),
    receivedAt: new Float64Array(size),
    outcomeAt: new Float64Array(size),
    outcome: new Uint8Array(size),
    kind: new Uint8Array(size),
    contentType: new Uint8Array(size),
    platform: new Uint16Array(size),
    group: new Uint16Array(size),
    language: new Uint16Array(size),
    unit: new Uint16Array(size),
    campaign: new Uint16Array(size),
    contentHash: new Int32Array(size),
    outcomeReason: new Uint16Array(size),
    reasons: [],
    viewsAtReferral: new Float64Array(size),
    viewsAtOutcome: new Float64Array(size),
    dictionaries,
    platformType: reference.platforms.map((p) => p.type),
    groupIdeology: reference.groups.map((g) => g.ideology),
    hashes: [],
  };
  const hashIndex = new Map<string, number>();
  const reasonIndex = new Map<string, number>();
  let i = 0;
  return {
    /** Adds one row; false once the columns are full (rows added after the count was taken). */
    add(row) {
      if (i >= size) return false;
      f.referredAt[i] = row[0] as number;
      f.receivedAt[i] = (row[1] as number | null) ?? NaN;
      f.kind[i] = KIND_CODE[row[2] as Kind];
      f.outcome[i] = OUTCOME_CODE[row[3] as Outcome];
      f.outcomeAt[i] = (row[4] as number | null) ?? NaN;
      f.pausedMs[i] = ((row[5] as number | null) ?? 0) * 3_600_000;
      f.platform[i] = dictionaries.platform.index.get(row[6] as string)!;
      f.group[i] = dictionaries.group.index.get(row[7] as string)!;
      f.language[i] = dictionaries.language.index.get(row[8] as string)!;
      f.contentType[i] = CONTENT_TYPE_CODE[row[9] as ContentType];
      f.unit[i] = dictionaries.unit.index.get(row[10] as string)!;
      f.campaign[i] = row[11] === null ? NO_CODE : dictionaries.campaign.index.get(row[11] as string)!;
      const hash = row[12] as string | null;
      if (hash === null) f.contentHash[i] = -1;
      else {
        let h = hashIndex.get(hash);
        if (h === undefined) {
          hashIndex.set(hash, (h = f.hashes.length));
          f.hashes.push(hash);
        }
        f.contentHash[i] = h;
      }
      f.viewsAtReferral[i] = (row[13] as number | null) ?? NaN;
      f.viewsAtOutcome[i] = (row[14] as number | null) ?? NaN;
      f.rowId[i] = row[15] as number;
      const reason = row[16] as string | null;
      if (reason === null) f.outcomeReason[i] = NO_REASON;
      else {
        let r = reasonIndex.get(reason);
        if (r === undefined) reasonIndex.set(reason, (r = f.reasons.push(reason) - 1));
        f.outcomeReason[i] = r;
      }
      i++;
      return true;
    },
    finish() {
      f.size = i;
      return f;
    },
  };
}
