// The referral facts every metric is computed from, read in one pass into
// typed columns (codes dictionary-encoded), plus the data version that says
// when they must be read again. lib/metrics keeps them per data version.
import { CONTENT_TYPE_CODE, KIND_CODE, OUTCOME_CODE, type ContentType, type Kind, type Outcome } from '../../codes';
import { dictionary, NO_CODE, NO_REASON, type StoredFacts } from '../../facts';
import type { FactsMark } from '../../store';
import type { Db } from '../client';

/** A read that may pause lets other work run after this many rows (about 40 ms of reading). */
const PAUSE_EVERY_ROWS = 10_000;

/** The meta key of the data version. */
export const DATA_VERSION_KEY = 'data_version';

/** Changes with every committed import (a counter kept in meta), in this process or another. */
export function getDataVersion(db: Db): number {
  const v = db.$client.prepare("SELECT value FROM meta WHERE key = 'data_version'").pluck().get() as string | undefined;
  return v === undefined ? 0 : Number(v);
}

/** The meta key of the database's generation (a restore makes a new one). */
export const GENERATION_KEY = 'generation';

/** Where a read of the facts stands: its data version, the database's generation and the last batch it includes. */
export function factsMark(db: Db): FactsMark {
  const generation = (db.$client.prepare("SELECT value FROM meta WHERE key = 'generation'").pluck().get() as string | undefined) ?? '';
  const lastBatch = db.$client.prepare('SELECT coalesce(max(id), 0) FROM import_batches').pluck().get() as number;
  const lastImport = db.$client.prepare("SELECT max(id) FROM import_batches WHERE status = 'committed'").pluck().get() as number | null;
  return { version: getDataVersion(db), generation, lastBatch, lastImport };
}

/** How many rows changed after the batch (the count of a change log read). */
export function countChangesSince(db: Db, batch: number): number {
  return db.$client.prepare('SELECT count(*) FROM referrals INDEXED BY referrals_updated_batch WHERE updated_batch > ?').pluck().get(batch) as number;
}

/** Called inside every committing import transaction. */
export function bumpDataVersion(db: Db): void {
  db.$client
    .prepare(
      "INSERT INTO meta (key, value) VALUES ('data_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
    )
    .run();
}

/**
 * Reads the fact columns of every referral, or with `sinceBatch` only of
 * those a later batch inserted or changed (the change log: updated_batch,
 * indexed). Rows come in id order. The reference dictionaries are always
 * whole; the languages, hashes and reasons are those of the rows read.
 */
export async function loadFactColumns(db: Db, sinceBatch: number | null = null, pause?: () => Promise<void>): Promise<StoredFacts> {
  const sqlite = db.$client;
  // The change log's index, named: the planner would otherwise walk the whole table in id order to skip a small sort.
  const where = sinceBatch === null ? '' : ` INDEXED BY referrals_updated_batch WHERE updated_batch > ${Math.floor(sinceBatch)}`;
  const ref = (table: string) => sqlite.prepare(`SELECT code, name FROM ${table} ORDER BY code`).all() as { code: string; name: string }[];
  const platforms = sqlite.prepare('SELECT code, name, type FROM platforms ORDER BY code').all() as { code: string; name: string; type: string }[];
  const groups = sqlite.prepare('SELECT code, name, ideology FROM groups ORDER BY code').all() as { code: string; name: string; ideology: string }[];
  const languages = (sqlite.prepare(`SELECT DISTINCT language FROM referrals${where} ORDER BY language`).pluck().all() as string[]).map((code) => ({ code, name: code }));
  const dictionaries = {
    platform: dictionary(platforms),
    group: dictionary(groups),
    language: dictionary(languages),
    unit: dictionary(ref('units')),
    campaign: dictionary(ref('campaigns')),
  };
  const size = sqlite.prepare(`SELECT count(*) FROM referrals${where}`).pluck().get() as number;
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
    platformType: platforms.map((p) => p.type),
    groupIdeology: groups.map((g) => g.ideology),
    hashes: [],
  };
  const hashIndex = new Map<string, number>();
  const reasonIndex = new Map<string, number>();
  const statement = sqlite.prepare(
    `SELECT referred_at, received_at, kind, outcome, outcome_at, clock_paused_hours, platform, group_code,
            language, content_type, unit, campaign, content_hash, views_at_referral, views_at_outcome, id, outcome_reason
     FROM referrals${where} ORDER BY id`,
  );
  let i = 0;
  for (const row of statement.raw().iterate() as IterableIterator<unknown[]>) {
    if (i >= size) break;
    // Every so many rows, other work of the process (requests) gets its turn.
    if (pause && i % PAUSE_EVERY_ROWS === 0 && i > 0) await pause();
    const referredAt = row[0] as number;
    const receivedAt = row[1] as number | null;
    f.referredAt[i] = referredAt;
    f.receivedAt[i] = receivedAt ?? NaN;
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
  }
  f.size = i;
  return f;
}
