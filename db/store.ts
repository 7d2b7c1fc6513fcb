// The engine boundary: everything lib/ and app/ ask of the database, as one
// async interface grouped by subject. Engines implement it under
// db/<engine>/ (SQLite now); nothing above db/ knows which one serves.
// Metrics stay synchronous walks over the fact columns the store hands over.
import type { Role } from './codes';
import type { StoredFacts } from './facts';
import type {
  BatchRecord,
  CampaignInfo,
  ImportBatch,
  ImportErrorRow,
  RecordCriteria,
  RecordOrder,
  ReferenceData,
  ReferenceTable,
  ReferralRecord,
  StoredReferral,
  UserRow,
} from './rows';

export type Engine = 'sqlite' | 'postgres';

// The store's errors are recognised by name, not by class identity: Next.js
// loads this module more than once in one server (start-up and routes), and
// an error thrown through one copy must be known by `instanceof` in another
// (an audit entry that met an import was once dropped for want of that).
function storeError(name: string) {
  return class extends Error {
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof Error && value.name === name;
    }
    constructor(message: string) {
      super(message);
      this.name = name;
    }
  };
}

/** The database cannot take a write just now (another writer holds the lock past the wait allowed). */
export class StoreBusyError extends storeError('StoreBusyError') {
  constructor() {
    super('The database is busy with an import just now; please try again in a minute.');
  }
}

/** The database cannot be opened or is not Takedown Monitor's; the message says why in words. */
export class StoreOpenError extends storeError('StoreOpenError') {}

/** A backup or restore refused or failed; the message says why in words. */
export class BackupError extends storeError('BackupError') {}

/** Where a read of the facts stands: what a later read of the changes starts from. */
export interface FactsMark {
  version: number;
  /** The database's generation: a restore makes a new one (its batches are another history). */
  generation: string;
  /** The last import batch (of any outcome) the read includes: changes are read from after it. */
  lastBatch: number;
  /** The last committed import the figures include (null: none yet). */
  lastImport: number | null;
}

export interface FactsSubject {
  /** Changes with every committed import (and restore), in this process or another. */
  dataVersion(): Promise<number>;
  /** Every fact column, read in one consistent snapshot, with the data version it holds. */
  read(): Promise<{ version: number; facts: StoredFacts; mark: FactsMark }>;
  /**
   * Only the rows inserted or changed since `mark` (in id order, with the
   * whole reference dictionaries), in one consistent snapshot; null when
   * that is impossible (another generation: a restore) or more than
   * `maxRows` rows changed (a full read is cheaper then).
   */
  changesSince(mark: FactsMark, maxRows: number): Promise<{ version: number; changes: StoredFacts; mark: FactsMark } | null>;
  /** Where the data stands now (its version, generation and last batch), without reading any facts. */
  mark(): Promise<FactsMark>;
  /**
   * Where a process may keep a copy of the facts it holds, so that its next
   * start need not read them all again (beside the database file); null
   * where there is nowhere (a store in memory).
   */
  keepPath(): string | null;
}

export interface ReferralsSubject {
  count(): Promise<number>;
  page(criteria: RecordCriteria, request: RecordOrder & { page: number; pageSize: number }): Promise<{ total: number; records: ReferralRecord[] }>;
  /** Every matching record, one at a time (exports: memory stays flat whatever the count). */
  iterate(criteria: RecordCriteria, order: RecordOrder): AsyncIterable<ReferralRecord>;
  /** The records with these row ids, aligned with the ids given (null where a row no longer exists). */
  byRowIds(ids: readonly number[], includeUrls: boolean): Promise<(ReferralRecord | null)[]>;
}

/** How an import's rows went: new, changed (with history) or the same as stored. */
export interface PutCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** What an import's rows are written through, inside the import's transaction. */
export interface ImportSession {
  readonly batchId: number;
  /** The line where this referral_id was first seen in the file, or null the first time. */
  seen(referralId: string, line: number): number | null;
  /**
   * Takes one validated row: it will be inserted, or updated with a history
   * entry per changed field, or left as it is (unchanged); unknown codes are
   * created. An engine may write it at once (SQLite) or stage it and write
   * every row in one merge (PostgreSQL's COPY): `finish` says how they went.
   */
  put(row: StoredReferral): void;
  /**
   * Resolves when the engine has taken the rows put so far, far enough for
   * more to come: the reader waits for it every few thousand rows, so that
   * what is staged stays bounded (PostgreSQL sends rows to its COPY while
   * the file is read; SQLite has written them already).
   */
  drained(): Promise<void>;
  /** Writes whatever is staged and says how the rows put went; call once, after the last put. */
  finish(): Promise<PutCounts>;
  /** Reference codes created on the fly (complete once `finish` has answered). */
  readonly createdCodes: Readonly<Record<ReferenceTable, readonly string[]>>;
}

export interface ImportsSubject {
  /**
   * One import, all or nothing: records `batch` (its counts filled in by
   * `work`'s answer), runs `work` inside one write transaction and commits
   * what it returns, or rolls everything back when it returns null or throws.
   * A commit that changed rows moves the data version.
   */
  run(batch: BatchRecord, work: (session: ImportSession, tx: Store) => Promise<BatchRecord | null>): Promise<{ batchId: number; committed: boolean }>;
  /** Records a batch row on its own (a rejected or failed attempt). */
  record(batch: BatchRecord): Promise<number>;
  list(limit: number): Promise<ImportBatch[]>;
  get(id: number): Promise<ImportBatch | undefined>;
  lastCommitted(): Promise<ImportBatch | null>;
  storeErrors(batchId: number, errors: readonly ImportErrorRow[]): Promise<void>;
  errors(batchId: number, limit?: number): Promise<ImportErrorRow[]>;
  iterateErrors(batchId: number): AsyncIterable<ImportErrorRow>;
}

export interface ReferenceSubject {
  /** Inserts or renames reference rows (names and attributes win over codes created on the fly). */
  upsert(data: ReferenceData): Promise<void>;
  campaigns(): Promise<CampaignInfo[]>;
}

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

export interface UserListRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  created_at: number;
  disabled_at: number | null;
  active_sessions: number;
  last_sign_in: number | null;
  api_tokens: number;
}

export interface UsersSubject {
  /** By the address as stored (trimmed, lower-cased). */
  findByEmail(email: string): Promise<UserRow | undefined>;
  get(id: number): Promise<UserRow | undefined>;
  count(): Promise<number>;
  list(now: number, limits: SessionLimits): Promise<UserListRow[]>;
  insert(user: { email: string; name: string; role: Role; passwordHash: string }, now: number): Promise<number>;
  /** Sets disabled_at (if not set), ends every session and revokes every token. */
  disable(id: number, now: number): Promise<{ sessionsEnded: number; tokensRevoked: number }>;
  /** A new password ends every session and revokes every token of the user. */
  setPassword(id: number, passwordHash: string, now: number): Promise<{ sessionsEnded: number; tokensRevoked: number }>;
}

export interface SessionRow {
  id: number;
  created_at: number;
  last_seen_at: number;
  ended_at: number | null;
  user_id: number;
  email: string;
  name: string;
  role: Role;
  disabled_at: number | null;
}

export interface SessionsSubject {
  create(tokenHash: string, userId: number, now: number): Promise<number>;
  /** The session with this token hash, with its user. */
  find(tokenHash: string): Promise<SessionRow | undefined>;
  touch(id: number, now: number): Promise<void>;
  end(id: number, reason: string, now: number): Promise<void>;
}

export interface TokenRow {
  id: number;
  last_used_at: number | null;
  user_id: number;
  email: string;
  name: string;
  role: Role;
}

export interface TokenListRow {
  id: number;
  email: string;
  label: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface TokensSubject {
  create(tokenHash: string, userId: number, label: string, now: number): Promise<number>;
  /** A live token (not revoked, its user not disabled) with this hash. */
  findLive(tokenHash: string): Promise<TokenRow | undefined>;
  touch(id: number, now: number): Promise<void>;
  revoke(id: number, now: number): Promise<boolean>;
  list(): Promise<TokenListRow[]>;
}

/** Which sign-in attempts of the window: from a client, at an address (its keyed hash), or both. */
export interface AttemptFilter {
  client?: string;
  emailKey?: string;
  since: number;
}

export interface RefusalWindow {
  client: string;
  window_start: number;
  count: number;
  first_at: number;
  last_at: number;
}

export interface SignInsSubject {
  /** The key of the keyed hash of typed addresses (made once per database). */
  emailHashKey(): Promise<string | undefined>;
  countAttempts(filter: AttemptFilter): Promise<number>;
  /** The instant of the attempt `offset` places from the latest (0: the latest), if there is one. */
  attemptAt(filter: AttemptFilter, offset: number): Promise<number | undefined>;
  lastHeldAttemptAt(emailKey: string): Promise<number | null>;
  addAttempt(emailKey: string, client: string, at: number, held: boolean): Promise<number>;
  dropAttemptsBefore(at: number): Promise<void>;
  forgetAttempts(emailKey: string, client: string): Promise<void>;
  /** Adds one to the client's refusals in the window; false if the window has none yet. */
  countRefusal(client: string, windowStart: number, now: number): Promise<boolean>;
  openRefusalWindow(client: string, windowStart: number, now: number): Promise<void>;
  /** Refusal windows that ended at or before `now`, for a window of `windowMs`. */
  closedRefusalWindows(windowMs: number, now: number): Promise<RefusalWindow[]>;
  dropRefusalWindow(client: string, windowStart: number): Promise<void>;
}

/** One row of the audit trail, values already neutralised (lib/auth/audit.ts). */
export interface AuditRow {
  at: number;
  actor: string;
  role: string | null;
  action: string;
  outcome: string;
  target: string;
  filters: string | null;
  detail: string | null;
  client: string | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: string;
  from?: number;
  to?: number;
  page: number;
  pageSize: number;
}

export interface AuditSubject {
  append(rows: readonly AuditRow[]): Promise<void>;
  read(query: AuditQuery): Promise<{ total: number; rows: (AuditRow & { id: number })[] }>;
}

export interface MetaSubject {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

export interface WriteOptions {
  /** How long to wait for the write lock: 0 tries once (requests), more waits (the command line). Default 0. */
  waitMs?: number;
}

export interface BackupCheck {
  referrals: number;
  batches: number;
  bytes: number;
}

export interface Store {
  readonly engine: Engine;
  /** Where the data lives, in words (a file path, a server). */
  readonly location: string;
  readonly facts: FactsSubject;
  readonly referrals: ReferralsSubject;
  readonly imports: ImportsSubject;
  readonly reference: ReferenceSubject;
  readonly users: UsersSubject;
  readonly sessions: SessionsSubject;
  readonly tokens: TokensSubject;
  readonly signIns: SignInsSubject;
  readonly audit: AuditSubject;
  readonly meta: MetaSubject;
  /**
   * Runs `work` in one write transaction: everything it writes through `tx`
   * commits together, or nothing does (a throw rolls back). StoreBusyError
   * when the lock is not free within `waitMs`. Writes made on the store
   * itself outside `write` are each their own transaction.
   */
  write<T>(work: (tx: Store) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** A consistent copy of the whole database at `target` (which must not exist), checked afterwards. */
  backup(target: string): Promise<BackupCheck>;
  close(): Promise<void>;
}
