// The database schema. DATA-MODEL.md defines every field; this file is the
// only place the tables are described, and every type in the code derives
// from it ($inferSelect / $inferInsert).
//
// Instants are stored as INTEGER milliseconds since the Unix epoch (UTC):
// every metric is time arithmetic, and integers compare and subtract fast.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

import { BATCH_FORMATS, BATCH_STATUSES, CONTENT_TYPES, IDEOLOGIES, KINDS, OUTCOMES, PLATFORM_TYPES, ROLES } from '../codes';

export const platforms = sqliteTable('platforms', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  type: text('type', { enum: PLATFORM_TYPES }).notNull().default('other'),
  jurisdiction: text('jurisdiction'),
});

export const groups = sqliteTable('groups', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  ideology: text('ideology', { enum: IDEOLOGIES }).notNull().default('other'),
  // Comma-separated other names the organisation is known by.
  aliases: text('aliases'),
});

export const units = sqliteTable('units', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  country: text('country'),
});

export const campaigns = sqliteTable('campaigns', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  leadUnit: text('lead_unit').references(() => units.code),
  startsAt: integer('starts_at'),
  endsAt: integer('ends_at'),
});

export const importBatches = sqliteTable('import_batches', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  format: text('format', { enum: BATCH_FORMATS }).notNull(),
  actor: text('actor').notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at').notNull(),
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

export const referrals = sqliteTable(
  'referrals',
  {
    id: integer('id').primaryKey(),
    referralId: text('referral_id').notNull(),
    kind: text('kind', { enum: KINDS }).notNull(),
    unit: text('unit')
      .notNull()
      .references(() => units.code),
    campaign: text('campaign').references(() => campaigns.code),
    platform: text('platform')
      .notNull()
      .references(() => platforms.code),
    group: text('group_code')
      .notNull()
      .references(() => groups.code),
    language: text('language').notNull(),
    contentType: text('content_type', { enum: CONTENT_TYPES }).notNull(),
    url: text('url').notNull(),
    contentHash: text('content_hash'),
    referredAt: integer('referred_at').notNull(),
    receivedAt: integer('received_at'),
    outcome: text('outcome', { enum: OUTCOMES }).notNull(),
    outcomeAt: integer('outcome_at'),
    outcomeReason: text('outcome_reason'),
    clockPausedHours: real('clock_paused_hours'),
    viewsAtReferral: integer('views_at_referral'),
    viewsAtOutcome: integer('views_at_outcome'),
    notes: text('notes'),
    // Digest of the stored values above: an unchanged row on re-import is
    // recognised without reading them back (lib/import/row-digest.ts).
    rowDigest: integer('row_digest').notNull(),
    // The batch that created the row and the last batch that changed it.
    createdBatch: integer('created_batch')
      .notNull()
      .references(() => importBatches.id),
    updatedBatch: integer('updated_batch')
      .notNull()
      .references(() => importBatches.id),
  },
  (t) => [
    uniqueIndex('referrals_referral_id').on(t.referralId),
    // METRICS.md aggregates by dimension within a period of referred_at.
    index('referrals_referred_at').on(t.referredAt),
    index('referrals_platform_referred_at').on(t.platform, t.referredAt),
    index('referrals_group_referred_at').on(t.group, t.referredAt),
    index('referrals_language_referred_at').on(t.language, t.referredAt),
    index('referrals_campaign').on(t.campaign).where(sql`${t.campaign} IS NOT NULL`),
    index('referrals_content_hash').on(t.contentHash).where(sql`${t.contentHash} IS NOT NULL`),
    // The change log of incremental facts: the rows a batch inserted or changed (lib/metrics/fact-refresh.ts).
    index('referrals_updated_batch').on(t.updatedBatch),
  ],
);

// Append-only: a trigger in the migrations refuses UPDATE and DELETE.
export const referralHistory = sqliteTable(
  'referral_history',
  {
    id: integer('id').primaryKey(),
    referralId: text('referral_id').notNull(),
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id),
    field: text('field').notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
  },
  (t) => [index('referral_history_referral_id').on(t.referralId), index('referral_history_batch').on(t.batchId)],
);

// Facts about the database as a whole, e.g. dataset = synthetic.
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

// Access control (issue 6): who may see what, and a trail of what they did.
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  // Stored lower-cased and trimmed: sign-in compares this exactly.
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  // Argon2id, PHC string format (parameters and salt inside).
  passwordHash: text('password_hash').notNull(),
  createdAt: integer('created_at').notNull(),
  passwordChangedAt: integer('password_changed_at').notNull(),
  disabledAt: integer('disabled_at'),
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // SHA-256 of the random cookie value: a copy of the table signs nobody in.
    tokenHash: text('token_hash').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    endedAt: integer('ended_at'),
    endReason: text('end_reason'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenHash: text('token_hash').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    label: text('label').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
);

// Failed sign-ins, kept in the database so that throttling survives a restart.
// Sign-in attempts of the last day (lib/auth/throttle.ts): each is counted
// here, in the same transaction as the check, before its password is
// verified, so that concurrent attempts cannot slip past the limit.
export const signInAttempts = sqliteTable(
  'sign_in_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // A keyed hash of the address as typed (lower-cased): never the text, which may be a password typed in the wrong field.
    emailKey: text('email_key').notNull(),
    // The client's network address.
    client: text('client').notNull(),
    at: integer('at').notNull(),
    // Made while the address was held (from a client address without failures).
    held: integer('held').notNull().default(0),
  },
  (t) => [index('sign_in_attempts_email_at').on(t.emailKey, t.at), index('sign_in_attempts_client_at').on(t.client, t.at)],
);

// Refused sign-ins counted per client address and window, written to the
// audit trail as one entry when the window has passed.
export const signInRefusals = sqliteTable(
  'sign_in_refusals',
  {
    client: text('client').notNull(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.windowStart] })],
);

// Keys made once per database (the keyed hash of typed addresses): the same on every app server.
export const appKeys = sqliteTable('app_keys', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
});

// Append-only: triggers in the migrations refuse UPDATE and DELETE.
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
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
    // The client's network address, where a request made the entry.
    client: text('client'),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_actor_at').on(t.actor, t.at), index('audit_log_action_at').on(t.action, t.at)],
);

// Row errors of batches imported in the browser, for the error report.
export const importErrors = sqliteTable(
  'import_errors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id),
    line: integer('line').notNull(),
    field: text('field').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('import_errors_batch').on(t.batchId, t.line)],
);

export type User = typeof users.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type Referral = Omit<typeof referrals.$inferSelect, 'rowDigest'>;
export type NewReferral = typeof referrals.$inferInsert;
export type ImportBatch = typeof importBatches.$inferSelect;
