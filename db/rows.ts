// Engine-neutral shapes of what the store takes and gives (DATA-MODEL.md).
// Each engine's schema is held to these by a compile-time check beside it
// (db/sqlite/schema-check.ts), so a column added in one place and not the
// other fails `tsc`.
import type { BatchFormat, BatchStatus, ContentType, Dimension, Ideology, Kind, Outcome, PlatformType, ReferralSort, Role, Status } from './codes';

/** The fields of a referral record, in DATA-MODEL.md's order (also the import format's column names). */
export const REFERRAL_FIELDS = [
  'referral_id',
  'kind',
  'unit',
  'campaign',
  'platform',
  'group',
  'language',
  'content_type',
  'url',
  'content_hash',
  'referred_at',
  'received_at',
  'outcome',
  'outcome_at',
  'outcome_reason',
  'clock_paused_hours',
  'views_at_referral',
  'views_at_outcome',
  'notes',
] as const;
export type ReferralField = (typeof REFERRAL_FIELDS)[number];

/** One referral as validated and stored (instants in ms since the epoch, UTC). */
export interface StoredReferral {
  referralId: string;
  kind: Kind;
  unit: string;
  campaign: string | null;
  platform: string;
  group: string;
  language: string;
  contentType: ContentType;
  url: string;
  contentHash: string | null;
  referredAt: number;
  receivedAt: number | null;
  outcome: Outcome;
  outcomeAt: number | null;
  outcomeReason: string | null;
  clockPausedHours: number | null;
  viewsAtReferral: number | null;
  viewsAtOutcome: number | null;
  notes: string | null;
}

/** Stored columns of a referral, in the order of storedValues: the fields but the id ("group" is stored as group_code). */
export const REFERRAL_COLUMNS = REFERRAL_FIELDS.filter((f) => f !== 'referral_id').map((f) => (f === 'group' ? 'group_code' : f));

/** A stored value of one field (what history and digests compare). */
export type StoredValue = string | number | null;

/** The stored values of a referral but its id, in REFERRAL_FIELDS order (the import compares and digests these). */
export function storedValues(row: StoredReferral): StoredValue[] {
  return [
    row.kind,
    row.unit,
    row.campaign,
    row.platform,
    row.group,
    row.language,
    row.contentType,
    row.url,
    row.contentHash,
    row.referredAt,
    row.receivedAt,
    row.outcome,
    row.outcomeAt,
    row.outcomeReason,
    row.clockPausedHours,
    row.viewsAtReferral,
    row.viewsAtOutcome,
    row.notes,
  ];
}

/** A referral record as pages, exports and the API show it (field names of API.md). */
export interface ReferralRecord {
  referral_id: string;
  kind: string;
  unit: string;
  campaign: string | null;
  platform: string;
  platform_name: string;
  group: string;
  group_name: string;
  language: string;
  content_type: string;
  url?: string;
  content_hash: string | null;
  referred_at: number;
  received_at: number | null;
  outcome: string;
  outcome_at: number | null;
  outcome_reason: string | null;
  clock_paused_hours: number | null;
  views_at_referral: number | null;
  views_at_outcome: number | null;
}

export type ReferenceTable = 'platforms' | 'groups' | 'units' | 'campaigns';
export const REFERENCE_TABLES: readonly ReferenceTable[] = ['platforms', 'groups', 'units', 'campaigns'];

/** An import batch as recorded (DATA-MODEL.md "import_batches"). */
export interface ImportBatch {
  id: number;
  fileName: string;
  sha256: string;
  format: BatchFormat;
  actor: string;
  startedAt: number;
  finishedAt: number;
  status: BatchStatus;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errorCount: number;
  /** JSON object: reference codes created on the fly, by table. */
  createdCodes: string;
  message: string | null;
}

export type BatchRecord = Omit<ImportBatch, 'id'>;

export interface ImportErrorRow {
  line: number;
  field: string;
  message: string;
}

export interface PlatformRow {
  code: string;
  name: string;
  type?: PlatformType;
  jurisdiction?: string | null;
}
export interface GroupRow {
  code: string;
  name: string;
  ideology?: Ideology;
  aliases?: string | null;
}
export interface UnitRow {
  code: string;
  name: string;
  country?: string | null;
}
export interface CampaignRow {
  code: string;
  name: string;
  leadUnit?: string | null;
  startsAt?: number | null;
  endsAt?: number | null;
}

export interface ReferenceData {
  platforms: PlatformRow[];
  groups: GroupRow[];
  units: UnitRow[];
  campaigns: CampaignRow[];
}

export interface CampaignInfo {
  code: string;
  name: string;
  leadUnit: string | null;
  startsAt: number | null;
  endsAt: number | null;
}

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  password_changed_at: number;
  disabled_at: number | null;
}

/** Which referral records a list, an export or a count asks for (lib/referrals.ts builds it from the filters). */
export interface RecordCriteria {
  asOf: number;
  /** referred_at ≥ this, when set. */
  referredFrom: number | null;
  /** referred_at < this, when set. */
  referredBefore: number | null;
  /** Per dimension the values a record must have one of (none: any). */
  values: Readonly<Record<Dimension, readonly string[]>>;
  /** Status at as_of (METRICS.md). */
  status?: Status;
  /** outcome_reason, or NO_REASON_GIVEN for none. */
  reason?: string;
}

export interface RecordOrder {
  sort: ReferralSort;
  descending: boolean;
  includeUrls: boolean;
}
