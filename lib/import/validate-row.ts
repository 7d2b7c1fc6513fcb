// DATA-MODEL.md, "referrals" and "Row rules": turns one raw record (strings
// from CSV, JSON values, or the demo generator's output) into a typed row,
// or into errors that name the line and the field.
import { CONTENT_TYPES, KINDS, OUTCOMES } from '@/db/codes';
import { REFERRAL_FIELDS, type StoredReferral } from '@/db/rows';
import { clip, parseInstant } from '@/lib/instant';
import { isLanguageCode } from './languages';

/** The import's fields are the data model's (db/rows.ts). */
export const FIELDS = REFERRAL_FIELDS;
export type FieldName = (typeof FIELDS)[number];
export const REQUIRED_FIELDS: readonly FieldName[] = [
  'referral_id',
  'kind',
  'unit',
  'platform',
  'language',
  'content_type',
  'url',
  'referred_at',
  'outcome',
];
const FIELD_SET: ReadonlySet<string> = new Set(FIELDS);
export function isField(name: string): name is FieldName {
  return FIELD_SET.has(name);
}

/** One referral as validated and stored (instants in ms since the epoch, UTC). */
export type ReferralRow = StoredReferral;

export interface RowError {
  /** Line of the file where the record starts (the header is line 1 in CSV); 0 for the file as a whole. */
  line: number;
  /** The field concerned, or '' for the record as a whole. */
  field: string;
  message: string;
}

/** DATA-MODEL.md: "a small clock skew, say 5 minutes, is tolerated". */
export const FUTURE_SKEW_MS = 5 * 60_000;
const MAX_ID = 128;
const MAX_URL = 2048;
const MAX_HASH = 128;
const MAX_NOTES = 2000;
const MAX_CODE = 64;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REASON = /^[a-z0-9][a-z0-9_-]*$/;
const KIND_SET: ReadonlySet<string> = new Set(KINDS);
const CONTENT_TYPE_SET: ReadonlySet<string> = new Set(CONTENT_TYPES);
const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);
export const UNATTRIBUTED_GROUP = 'unattributed';

/** The record being validated; helpers below append to its errors. */
interface Ctx {
  line: number;
  values: Readonly<Record<string, unknown>>;
  errors: RowError[];
}

// Module-level helpers rather than closures: this runs once per row of
// multi-million-row files, and closures per row cost measurably.
function fail(ctx: Ctx, field: string, message: string): void {
  ctx.errors.push({ line: ctx.line, field, message });
}

function text(ctx: Ctx, field: FieldName, required: boolean, max: number, trim = true): string | null {
  const raw = ctx.values[field];
  if (raw === undefined || raw === null || raw === '') {
    if (required) fail(ctx, field, `${field} is required`);
    return null;
  }
  let s: string;
  if (typeof raw === 'string') s = trim ? raw.trim() : raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) s = String(raw);
  else {
    fail(ctx, field, `${field} must be a string, not ${describe(raw)}`);
    return null;
  }
  if (s === '') {
    if (required) fail(ctx, field, `${field} is required`);
    return null;
  }
  if (s.length > max) {
    fail(ctx, field, `${field} is ${s.length} characters long; at most ${max} are allowed`);
    return null;
  }
  // PostgreSQL cannot hold a NUL in text at all: refused here, by line and field, on both engines alike.
  const nul = s.indexOf('\u0000');
  if (nul >= 0) {
    fail(ctx, field, `${field} holds a NUL character (U+0000) at position ${nul + 1}: remove it`);
    return null;
  }
  return s;
}

function oneOf<T extends string>(ctx: Ctx, field: FieldName, set: ReadonlySet<string>, required: boolean): T | null {
  const s = text(ctx, field, required, MAX_CODE);
  if (s === null) return null;
  if (!set.has(s)) {
    fail(ctx, field, `${field} '${clip(s)}' is not one of: ${[...set].join(', ')}`);
    return null;
  }
  return s as T;
}

function code(ctx: Ctx, field: FieldName, required: boolean): string | null {
  const s = text(ctx, field, required, MAX_CODE);
  if (s === null) return null;
  if (!CODE.test(s)) {
    fail(ctx, field, `${field} '${clip(s)}' is not a code: use letters, digits, '.', '_' or '-', starting with a letter or digit`);
    return null;
  }
  return s;
}

function instant(ctx: Ctx, field: FieldName, required: boolean): number | null {
  const s = text(ctx, field, required, 64);
  if (s === null) return null;
  const parsed = parseInstant(s);
  if (!parsed.ok) {
    fail(ctx, field, `${field}: ${parsed.message}`);
    return null;
  }
  return parsed.ms;
}

const NUMBER = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function number(ctx: Ctx, field: FieldName, integer: boolean): number | null {
  const raw = ctx.values[field];
  // Trimmed once (this runs per row of million-row files); blank is absent here as in text().
  const value = typeof raw === 'string' ? raw.trim() : raw;
  if (value === undefined || value === null || value === '') return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && NUMBER.test(value)) n = Number(value);
  else {
    fail(ctx, field, `${field} '${clip(typeof raw === 'string' ? raw : describe(raw))}' is not a number ≥ 0`);
    return null;
  }
  if (!Number.isFinite(n) || n < 0) {
    fail(ctx, field, `${field} must be a number ≥ 0, got ${String(raw)}`);
    return null;
  }
  if (integer && !Number.isInteger(n)) {
    fail(ctx, field, `${field} must be a whole number, got ${String(raw)}`);
    return null;
  }
  // Beyond 2^53 − 1 a count is no longer exact (and is written 1e+21 and the like, which no integer column takes).
  if (integer && n > Number.MAX_SAFE_INTEGER) {
    fail(ctx, field, `${field} is ${String(raw)}: counts above ${Number.MAX_SAFE_INTEGER.toLocaleString('en-GB')} cannot be held exactly`);
    return null;
  }
  return n;
}

/**
 * Validates one record. `values` maps field names to raw values (a missing
 * key, null and '' all mean "absent"). Errors are appended to `errors`;
 * the row is returned only when the record has none.
 */
export function validateRecord(
  line: number,
  values: Readonly<Record<string, unknown>>,
  nowMs: number,
  errors: RowError[],
): ReferralRow | null {
  const before = errors.length;
  const ctx: Ctx = { line, values, errors };

  const referralId = text(ctx, 'referral_id', true, MAX_ID);
  const kind = oneOf<ReferralRow['kind']>(ctx, 'kind', KIND_SET, true);
  const unit = code(ctx, 'unit', true);
  const campaign = code(ctx, 'campaign', false);
  const platform = code(ctx, 'platform', true);
  const group = code(ctx, 'group', false) ?? UNATTRIBUTED_GROUP;

  let language = text(ctx, 'language', true, 8);
  if (language !== null) {
    const lower = language.toLowerCase();
    if (!isLanguageCode(lower)) {
      fail(ctx, 'language', `language '${clip(language)}' is not an ISO 639-1 code (or 'und' for undetermined, 'zxx' for no linguistic content)`);
      language = null;
    } else language = lower;
  }

  const contentType = oneOf<ReferralRow['contentType']>(ctx, 'content_type', CONTENT_TYPE_SET, true);

  const url = text(ctx, 'url', true, MAX_URL);
  if (url !== null && !isHttpUrl(url)) fail(ctx, 'url', `url '${clip(url)}' is not an absolute http(s) URL`);

  const contentHash = text(ctx, 'content_hash', false, MAX_HASH);
  const referredAt = instant(ctx, 'referred_at', true);
  const receivedAt = instant(ctx, 'received_at', false);
  const outcome = oneOf<ReferralRow['outcome']>(ctx, 'outcome', OUTCOME_SET, true);
  const outcomeAt = instant(ctx, 'outcome_at', false);
  const outcomeReason = text(ctx, 'outcome_reason', false, MAX_CODE);
  if (outcomeReason !== null && !REASON.test(outcomeReason))
    fail(ctx, 'outcome_reason', `outcome_reason '${clip(outcomeReason)}' is not a reason code (lower-case letters, digits and '_', e.g. force_majeure)`);
  const clockPausedHours = number(ctx, 'clock_paused_hours', false);
  const viewsAtReferral = number(ctx, 'views_at_referral', true);
  const viewsAtOutcome = number(ctx, 'views_at_outcome', true);
  const notes = text(ctx, 'notes', false, MAX_NOTES, false);

  // Row rules.
  if (outcome === 'pending' && outcomeAt !== null) fail(ctx, 'outcome_at', 'outcome_at must be empty while the outcome is pending');
  if (outcome !== null && outcome !== 'pending' && isAbsent(values.outcome_at))
    fail(ctx, 'outcome_at', `outcome_at is required for outcome '${outcome}'`);
  if (referredAt !== null) {
    if (referredAt > nowMs + FUTURE_SKEW_MS) fail(ctx, 'referred_at', `referred_at ${String(values.referred_at).trim()} is in the future`);
    if (receivedAt !== null && receivedAt < referredAt) fail(ctx, 'received_at', 'received_at is before referred_at');
    if (outcomeAt !== null && outcomeAt < referredAt) fail(ctx, 'outcome_at', 'outcome_at is before referred_at');
  }

  if (errors.length > before) return null;
  return {
    referralId: referralId!,
    kind: kind!,
    unit: unit!,
    campaign,
    platform: platform!,
    group,
    language: language!,
    contentType: contentType!,
    url: url!,
    contentHash,
    referredAt: referredAt!,
    receivedAt,
    outcome: outcome!,
    outcomeAt,
    outcomeReason,
    clockPausedHours,
    viewsAtReferral,
    viewsAtOutcome,
    notes,
  };
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

// Absolute http(s) URL with a host; no white space. A regular expression
// rather than new URL(): this runs once per row of files with millions.
const HTTP_URL = /^https?:\/\/(?:[^\s/?#@]+@)?(?:[^\s/?#:@[\]]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:[/?#]\S*)?$/i;

function isHttpUrl(s: string): boolean {
  return HTTP_URL.test(s);
}

/** What a value that is neither text nor a number is (null never gets here: it is absent). */
function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
