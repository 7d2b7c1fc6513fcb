// The PostgreSQL schema: the same tables, columns, constraints and meaning
// as db/sqlite/schema.ts (DATA-MODEL.md defines every field), so that every
// figure is the same to the last digit on either engine.
//
// Instants are bigint milliseconds since the Unix epoch (UTC), as on SQLite:
// the facts are time arithmetic on integers, and one meaning serves both.
// Fractional hours are double precision (SQLite's REAL), never float4.
//
// Indexes are this engine's own choice, not a copy of SQLite's: the figures
// come from the fact columns, so the referrals table keeps only what the
// import's merge, the change log and the records list need (README,
// "Running on PostgreSQL", has the EXPLAIN figures behind the choice).
import { bigint, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

import { BATCH_FORMATS, BATCH_STATUSES, CONTENT_TYPES, IDEOLOGIES, KINDS, OUTCOMES, PLATFORM_TYPES, ROLES } from '../codes';

/** An instant: ms since the epoch, read back as a JavaScript number. */
const instant = (name: string) => bigint(name, { mode: 'number' });
/** A row id made by the database. */
const rowId = (name = 'id') => bigint(name, { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();

export const platforms = pgTable('platforms', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  type: text('type', { enum: PLATFORM_TYPES }).notNull().default('other'),
  jurisdiction: text('jurisdiction'),
});

export const groups = pgTable('groups', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  ideology: text('ideology', { enum: IDEOLOGIES }).notNull().default('other'),
  // Comma-separated other names the organisation is known by.
  aliases: text('aliases'),
});

export const units = pgTable('units', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  country: text('country'),
});

export const campaigns = pgTable('campaigns', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  leadUnit: text('lead_unit').references(() => units.code),
  startsAt: instant('starts_at'),
  endsAt: instant('ends_at'),
});

export const importBatches = pgTable('import_batches', {
  id: rowId(),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  format: text('format', { enum: BATCH_FORMATS }).notNull(),
  actor: text('actor').notNull(),
  startedAt: instant('started_at').notNull(),
  finishedAt: instant('finished_at').notNull(),
  status: text('status', { enum: BATCH_STATUSES }).notNull(),
  rows: integer('rows').notNull(),
  inserted: integer('inserted').notNull(),
  updated: integer('updated').notNull(),
  unchanged: integer('unchanged').notNull(),
  rejected: integer('rejected').notNull(),
  errorCount: integer('error_count').notNull(),
  // JSON object: reference codes created on the fly, by table.
  createdCodes: text('created_codes').notNull().default('{}'),
  // For a rejected batch: the first error, or the structural fault, in words.
  message: text('message'),
});

// The references of a referral (unit, campaign, platform, group, created_batch,
// updated_batch) are foreign keys in meaning, checked once per statement
// rather than per row: migration 0002 holds the triggers. PostgreSQL's own
// foreign keys check each row on its own (about 10 µs each, six per row:
// a minute per million rows imported); a statement's new rows are checked
// in one join, and the rows they name are locked against deletion as a
// foreign key would lock them.
export const referrals = pgTable(
  'referrals',
  {
    id: rowId(),
    referralId: text('referral_id').notNull(),
    kind: text('kind', { enum: KINDS }).notNull(),
    unit: text('unit').notNull(),
    campaign: text('campaign'),
    platform: text('platform').notNull(),
    group: text('group_code').notNull(),
    language: text('language').notNull(),
    contentType: text('content_type', { enum: CONTENT_TYPES }).notNull(),
    url: text('url').notNull(),
    contentHash: text('content_hash'),
    referredAt: instant('referred_at').notNull(),
    receivedAt: instant('received_at'),
    outcome: text('outcome', { enum: OUTCOMES }).notNull(),
    outcomeAt: instant('outcome_at'),
    outcomeReason: text('outcome_reason'),
    clockPausedHours: doublePrecision('clock_paused_hours'),
    viewsAtReferral: bigint('views_at_referral', { mode: 'number' }),
    viewsAtOutcome: bigint('views_at_outcome', { mode: 'number' }),
    notes: text('notes'),
    // Digest of the stored values above (db/row-digest.ts): an unchanged row on re-import is recognised without comparing them.
    rowDigest: bigint('row_digest', { mode: 'number' }).notNull(),
    // The batch that created the row and the last batch that changed it.
    createdBatch: bigint('created_batch', { mode: 'number' }).notNull(),
    updatedBatch: bigint('updated_batch', { mode: 'number' }).notNull(),
  },
  (t) => [
    // The import merges by referral_id.
    uniqueIndex('referrals_referral_id').on(t.referralId),
    // The records list's default order (newest first, ties by id: a backward scan that stops at the page),
    // and the as_of bound every record query has. Measured at 1,000,000 rows in bench:metrics (README).
    index('referrals_referred_at_id').on(t.referredAt, t.id),
    // The change log of incremental facts: the rows a batch inserted or changed (lib/metrics/fact-refresh.ts).
    index('referrals_updated_batch').on(t.updatedBatch),
  ],
);

// Append-only: a trigger in the migrations refuses UPDATE and DELETE.
export const referralHistory = pgTable(
  'referral_history',
  {
    id: rowId(),
    referralId: text('referral_id').notNull(),
    batchId: bigint('batch_id', { mode: 'number' })
      .notNull()
      .references(() => importBatches.id),
    field: text('field').notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
  },
  (t) => [index('referral_history_referral_id').on(t.referralId), index('referral_history_batch').on(t.batchId)],
);

// Facts about the database as a whole, e.g. dataset = synthetic.
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const users = pgTable('users', {
  id: rowId(),
  // Stored lower-cased and trimmed: sign-in compares this exactly.
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  // Argon2id, PHC string format (parameters and salt inside).
  passwordHash: text('password_hash').notNull(),
  createdAt: instant('created_at').notNull(),
  passwordChangedAt: instant('password_changed_at').notNull(),
  disabledAt: instant('disabled_at'),
});

export const sessions = pgTable(
  'sessions',
  {
    id: rowId(),
    // SHA-256 of the random cookie value: a copy of the table signs nobody in.
    tokenHash: text('token_hash').notNull().unique(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    createdAt: instant('created_at').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
    endedAt: instant('ended_at'),
    endReason: text('end_reason'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: rowId(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    label: text('label').notNull(),
    createdAt: instant('created_at').notNull(),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
);

// Sign-in attempts of the last day (lib/auth/throttle.ts), in the database so that throttling holds across servers and restarts.
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: rowId(),
    // A keyed hash of the address as typed (lower-cased): never the text, which may be a password typed in the wrong field.
    emailKey: text('email_key').notNull(),
    client: text('client').notNull(),
    at: instant('at').notNull(),
    // 1 when made while the address was held (as on SQLite: an integer, not a boolean).
    held: integer('held').notNull().default(0),
  },
  (t) => [index('sign_in_attempts_email_at').on(t.emailKey, t.at), index('sign_in_attempts_client_at').on(t.client, t.at)],
);

// Refused sign-ins counted per client address and window, written to the audit trail as one entry when the window has passed.
export const signInRefusals = pgTable(
  'sign_in_refusals',
  {
    client: text('client').notNull(),
    windowStart: instant('window_start').notNull(),
    count: integer('count').notNull(),
    firstAt: instant('first_at').notNull(),
    lastAt: instant('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.windowStart] })],
);

// Keys made once per database (the keyed hash of typed addresses): the same on every app server.
export const appKeys = pgTable('app_keys', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
});

// Append-only: triggers in the migrations refuse UPDATE and DELETE.
export const auditLog = pgTable(
  'audit_log',
  {
    id: rowId(),
    at: instant('at').notNull(),
    // The user's e-mail address, or '-' for nobody signed in.
    actor: text('actor').notNull(),
    role: text('role'),
    action: text('action').notNull(),
    // allowed | refused | failed
    outcome: text('outcome').notNull(),
    target: text('target').notNull(),
    // JSON of the query parameters (filters) the action was asked with.
    filters: text('filters'),
    detail: text('detail'),
    client: text('client'),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_actor_at').on(t.actor, t.at), index('audit_log_action_at').on(t.action, t.at)],
);

// Row errors of batches imported in the browser, for the error report.
export const importErrors = pgTable(
  'import_errors',
  {
    id: rowId(),
    batchId: bigint('batch_id', { mode: 'number' })
      .notNull()
      .references(() => importBatches.id),
    line: integer('line').notNull(),
    field: text('field').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('import_errors_batch').on(t.batchId, t.line)],
);
