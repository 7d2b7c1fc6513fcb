// The store's contract (db/store.ts), operation by operation, against every
// engine this machine has, each on fresh databases. Only the Store
// interface is used here: an engine passes when it behaves the same. The
// next engine joins by adding one line to ENGINES.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIND_CODE, OUTCOME_CODE } from '@/db/codes';
import type { StoreConfig } from '@/db/config';
import { openStore, restoreStore } from '@/db/open';
import type { BatchRecord, RecordCriteria, StoredReferral } from '@/db/rows';
import { BackupError, StoreBusyError, type PutCounts, type Store } from '@/db/store';
import { tempDir } from '../helpers/db';
import { freshPostgresStore, postgresStore, POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from '../helpers/postgres';

interface Engine {
  name: string;
  /** A fresh, migrated, empty database; `second` opens another connection (another server) to the same one, where the engine has that. */
  fresh(): Promise<{ store: Store; second?: () => Store; config?: StoreConfig }>;
}

const ENGINES: Engine[] = [
  {
    name: 'SQLite file',
    fresh: () => {
      const file = path.join(tempDir(), 'contract.db');
      return Promise.resolve({ store: openStore({ engine: 'sqlite', path: file }), second: () => openStore({ engine: 'sqlite', path: file }), config: { engine: 'sqlite', path: file } });
    },
  },
  { name: 'SQLite in memory', fresh: () => Promise.resolve({ store: openStore({ engine: 'sqlite', path: ':memory:' }) }) },
];
if (POSTGRES_ADMIN_URL)
  ENGINES.push({
    name: 'PostgreSQL',
    fresh: async () => {
      const { url, store } = await freshPostgresStore();
      return { store, second: () => postgresStore(url), config: { engine: 'postgres', url } };
    },
  });

else describe.skip(`the store on PostgreSQL: skipped, ${POSTGRES_SKIPPED}`, () => it('needs a PostgreSQL server', () => undefined));

const T = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;

function referral(id: string, more: Partial<StoredReferral> = {}): StoredReferral {
  return {
    referralId: id,
    kind: 'referral',
    unit: 'eu-iru',
    campaign: null,
    platform: 'vidora',
    group: 'g1',
    language: 'ar',
    contentType: 'video',
    url: `https://vidora.example/${id}`,
    contentHash: null,
    referredAt: T - 48 * HOUR,
    receivedAt: null,
    outcome: 'pending',
    outcomeAt: null,
    outcomeReason: null,
    clockPausedHours: null,
    viewsAtReferral: null,
    viewsAtOutcome: null,
    notes: null,
    ...more,
  };
}

function batch(more: Partial<BatchRecord> = {}): BatchRecord {
  return {
    fileName: 'contract.csv',
    sha256: 'ab'.repeat(32),
    format: 'csv',
    actor: 'test',
    startedAt: T,
    finishedAt: T,
    status: 'committed',
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errorCount: 0,
    createdCodes: '{}',
    message: null,
    ...more,
  };
}

/** Imports the rows as one committed batch; how they went. */
async function importRows(store: Store, rows: StoredReferral[]) {
  let counts: PutCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const run = await store.imports.run(batch(), async (session) => {
    for (const row of rows) session.put(row);
    counts = await session.finish();
    return batch({ rows: rows.length, ...counts, createdCodes: JSON.stringify(session.createdCodes) });
  });
  return { ...run, counts };
}

const everything = (more: Partial<RecordCriteria> = {}): RecordCriteria => ({
  asOf: T,
  referredFrom: null,
  referredBefore: null,
  values: { platform: [], platform_type: [], group: [], ideology: [], language: [], content_type: [], unit: [], campaign: [], kind: [] },
  ...more,
});
const order = { sort: 'referral_id' as const, descending: false, includeUrls: true };

describe.each(ENGINES)('the store on $name', (engine) => {
  describe('imports and facts', () => {
    it('inserts, leaves unchanged, updates with history, creates codes, and moves the data version only when rows change', async () => {
      const { store } = await engine.fresh();
      expect(await store.facts.dataVersion()).toBe(0);
      const first = await importRows(store, [referral('R-1'), referral('R-2', { platform: 'chirpnet', campaign: 'rad' })]);
      expect(first).toMatchObject({ committed: true, counts: { inserted: 2, updated: 0, unchanged: 0 } });
      const v1 = await store.facts.dataVersion();
      expect(v1).toBeGreaterThan(0);
      // The same rows again: unchanged, and the version stays.
      expect((await importRows(store, [referral('R-1'), referral('R-2', { platform: 'chirpnet', campaign: 'rad' })])).counts).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
      expect(await store.facts.dataVersion()).toBe(v1);
      // An outcome recorded: updated.
      const removed = referral('R-1', { outcome: 'removed', outcomeAt: T - 47 * HOUR });
      expect((await importRows(store, [removed])).counts).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
      expect(await store.facts.dataVersion()).toBeGreaterThan(v1);
      const batches = await store.imports.list(10);
      expect(batches.map((b) => [b.inserted, b.updated, b.unchanged])).toEqual([
        [0, 1, 0],
        [0, 0, 2],
        [2, 0, 0],
      ]);
      expect(JSON.parse(batches[2].createdCodes)).toEqual({ platforms: ['vidora', 'chirpnet'], groups: ['g1'], units: ['eu-iru'], campaigns: ['rad'] });
      expect((await store.imports.lastCommitted())?.id).toBe(batches[0].id);
      expect(await store.imports.get(batches[1].id)).toEqual(batches[1]);
    });

    it('hands over the facts as typed columns with the version they hold', async () => {
      const { store } = await engine.fresh();
      await importRows(store, [
        referral('R-1', { kind: 'removal_order', receivedAt: T - 47 * HOUR, outcome: 'removed', outcomeAt: T - 46 * HOUR, clockPausedHours: 1.5, contentHash: 'h1' }),
        referral('R-2', { platform: 'chirpnet', outcome: 'rejected', outcomeAt: T - HOUR, outcomeReason: 'not_illegal', viewsAtReferral: 10 }),
      ]);
      const { version, facts } = await store.facts.read();
      expect(version).toBe(await store.facts.dataVersion());
      expect(facts.size).toBe(2);
      const r1 = [...facts.rowId].findIndex((_, i) => facts.dictionaries.platform.codes[facts.platform[i]] === 'vidora');
      const r2 = 1 - r1;
      expect([facts.kind[r1], facts.outcome[r1], facts.outcome[r2]]).toEqual([KIND_CODE.removal_order, OUTCOME_CODE.removed, OUTCOME_CODE.rejected]);
      expect([facts.receivedAt[r1], facts.outcomeAt[r1], facts.pausedMs[r1]]).toEqual([T - 47 * HOUR, T - 46 * HOUR, 1.5 * HOUR]);
      expect([Number.isNaN(facts.receivedAt[r2]), facts.reasons[facts.outcomeReason[r2]], facts.viewsAtReferral[r2]]).toEqual([true, 'not_illegal', 10]);
      expect([facts.hashes[facts.contentHash[r1]], facts.contentHash[r2]]).toEqual(['h1', -1]);
      expect(facts.dictionaries.language.codes).toEqual(['ar']);
    });

    it('says where the data stands (its mark) without reading facts, as a read and the changes since it say', async () => {
      const { store } = await engine.fresh();
      const empty = await store.facts.mark();
      expect([empty.version, empty.lastBatch, empty.lastImport]).toEqual([0, 0, null]);
      expect(empty.generation).toMatch(/^[0-9a-f]{32}$/);
      await importRows(store, [referral('R-1')]);
      const { mark } = await store.facts.read();
      expect(await store.facts.mark()).toEqual(mark);
      expect(mark.version).toBe(await store.facts.dataVersion());
      expect([mark.generation, mark.lastBatch > 0, mark.lastImport]).toEqual([empty.generation, true, mark.lastBatch]);
      const changes = await store.facts.changesSince(empty, 1000);
      expect([changes?.mark, changes?.changes.size]).toEqual([mark, 1]);
      // A file keeps a copy of the facts beside it; a database in memory has nowhere to.
      const keep = store.facts.keepPath();
      // (nor does a server shared by several app servers: each reads the facts from it)
      if (engine.name !== 'SQLite file') expect(keep).toBeNull();
      else expect(keep).toMatch(/\.facts$/);
    });

    it('rolls everything back when the import answers null or throws, and records a batch on its own', async () => {
      const { store } = await engine.fresh();
      const refused = await store.imports.run(batch(), async (session) => {
        session.put(referral('R-1'));
        await Promise.resolve();
        return null;
      });
      expect(refused.committed).toBe(false);
      await expect(
        store.imports.run(batch(), async (session) => {
          session.put(referral('R-2'));
          await Promise.resolve();
          throw new Error('the disk is full');
        }),
      ).rejects.toThrow('the disk is full');
      expect([await store.referrals.count(), await store.facts.dataVersion(), (await store.imports.list(10)).length]).toEqual([0, 0, 0]);
      const id = await store.imports.record(batch({ status: 'rejected', message: 'no' }));
      expect((await store.imports.get(id))?.message).toBe('no');
    });

    it('tells a referral_id met again in the same file by its first line', async () => {
      const { store } = await engine.fresh();
      await store.imports.run(batch(), async (session) => {
        expect([session.seen('A', 2), session.seen('B', 3), session.seen('A', 9)]).toEqual([null, null, 2]);
        await Promise.resolve();
        return null;
      });
    });

    it('keeps row errors of a batch, in line order, and streams them', async () => {
      const { store } = await engine.fresh();
      const id = await store.imports.record(batch({ status: 'rejected' }));
      await store.imports.storeErrors(id, [
        { line: 5, field: 'url', message: 'missing' },
        { line: 2, field: 'kind', message: 'unknown' },
      ]);
      expect((await store.imports.errors(id)).map((e) => e.line)).toEqual([2, 5]);
      expect(await store.imports.errors(id, 1)).toEqual([{ line: 2, field: 'kind', message: 'unknown' }]);
      const streamed = [];
      for await (const e of store.imports.iterateErrors(id)) streamed.push(e.field);
      expect(streamed).toEqual(['kind', 'url']);
    });
  });

  describe('records', () => {
    it('selects by criteria and status at as_of, pages, streams, and finds rows by id', async () => {
      const { store } = await engine.fresh();
      await importRows(store, [
        referral('R-1', { outcome: 'removed', outcomeAt: T - HOUR }),
        referral('R-2', { outcome: 'rejected', outcomeAt: T - HOUR, outcomeReason: 'not_illegal' }),
        referral('R-3', { outcome: 'removed', outcomeAt: T + HOUR }), // after as_of: open then
        referral('R-4', { platform: 'chirpnet', language: 'fr' }),
        referral('R-5', { referredAt: T + HOUR }), // after as_of: not known yet
      ]);
      const ids = async (criteria: RecordCriteria) => (await store.referrals.page(criteria, { ...order, page: 1, pageSize: 10 })).records.map((r) => r.referral_id);
      expect(await ids(everything())).toEqual(['R-1', 'R-2', 'R-3', 'R-4']);
      expect(await ids(everything({ status: 'open' }))).toEqual(['R-3', 'R-4']);
      expect(await ids(everything({ status: 'actioned' }))).toEqual(['R-1']);
      expect(await ids(everything({ status: 'declined', reason: 'not_illegal' }))).toEqual(['R-2']);
      expect(await ids(everything({ reason: '-' }))).toEqual(['R-1', 'R-3', 'R-4']);
      expect(await ids(everything({ values: { ...everything().values, language: ['fr'] } }))).toEqual(['R-4']);
      const page = await store.referrals.page(everything(), { ...order, descending: true, page: 2, pageSize: 3 });
      expect([page.total, page.records.map((r) => r.referral_id)]).toEqual([4, ['R-1']]);
      expect(page.records[0]).toMatchObject({ platform: 'vidora', platform_name: 'vidora', url: 'https://vidora.example/R-1' });
      const withoutUrls = await store.referrals.page(everything(), { ...order, includeUrls: false, page: 1, pageSize: 1 });
      expect(withoutUrls.records[0].url).toBeUndefined();
      const streamed: string[] = [];
      for await (const r of store.referrals.iterate(everything(), order)) streamed.push(r.referral_id);
      expect(streamed).toEqual(['R-1', 'R-2', 'R-3', 'R-4']);
      const { facts } = await store.facts.read();
      const found = await store.referrals.byRowIds([facts.rowId[0], 999_999], false);
      expect([found[0]?.referral_id, found[1]]).toEqual(['R-1', null]);
      expect(await store.referrals.count()).toBe(5);
    });
  });

  describe('reference data and meta', () => {
    it('upserts names over codes made on the fly, lists campaigns, and keeps meta values', async () => {
      const { store } = await engine.fresh();
      await importRows(store, [referral('R-1', { campaign: 'rad' })]);
      await store.reference.upsert({
        platforms: [{ code: 'vidora', name: 'Vidora', type: 'video' }],
        groups: [],
        units: [{ code: 'eu-iru', name: 'EU IRU', country: null }],
        campaigns: [{ code: 'rad', name: 'Action Day', leadUnit: 'eu-iru', startsAt: T, endsAt: T + HOUR }],
      });
      expect(await store.reference.campaigns()).toEqual([{ code: 'rad', name: 'Action Day', leadUnit: 'eu-iru', startsAt: T, endsAt: T + HOUR }]);
      expect((await store.referrals.page(everything(), { ...order, page: 1, pageSize: 1 })).records[0].platform_name).toBe('Vidora');
      expect(await store.meta.get('dataset')).toBeNull();
      await store.meta.set('dataset', 'synthetic');
      await store.meta.set('dataset', 'real');
      expect(await store.meta.get('dataset')).toBe('real');
    });
  });

  describe('users, sessions and tokens', () => {
    it('adds, finds, lists, disables (ending sessions and tokens) and resets passwords', async () => {
      const { store } = await engine.fresh();
      const id = await store.users.insert({ email: 'a@example.org', name: 'A', role: 'analyst', passwordHash: 'h1' }, T);
      expect(await store.users.count()).toBe(1);
      expect((await store.users.findByEmail('a@example.org'))?.id).toBe(id);
      expect((await store.users.get(id))?.role).toBe('analyst');
      const session = await store.sessions.create('s-hash', id, T);
      const token = await store.tokens.create('t-hash', id, 'script', T);
      expect(await store.users.list(T + 1000, { idleMs: HOUR, maxMs: 10 * HOUR })).toMatchObject([{ email: 'a@example.org', active_sessions: 1, api_tokens: 1 }]);
      await store.sessions.touch(session, T + 5000);
      expect(await store.sessions.find('s-hash')).toMatchObject({ id: session, last_seen_at: T + 5000, ended_at: null, email: 'a@example.org' });
      await store.tokens.touch(token, T + 6000);
      expect(await store.tokens.findLive('t-hash')).toMatchObject({ id: token, last_used_at: T + 6000, role: 'analyst' });
      expect(await store.users.setPassword(id, 'h2', T + HOUR)).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
      expect([(await store.users.get(id))?.password_hash, await store.tokens.findLive('t-hash')]).toEqual(['h2', undefined]);
      expect((await store.sessions.find('s-hash'))?.ended_at).toBe(T + HOUR);
      await store.sessions.create('s2', id, T);
      expect(await store.users.disable(id, T + 2 * HOUR)).toEqual({ sessionsEnded: 1, tokensRevoked: 0 });
      expect((await store.users.get(id))?.disabled_at).toBe(T + 2 * HOUR);
      const other = await store.tokens.create('t2', id, 'x', T);
      expect([await store.tokens.revoke(other, T), await store.tokens.revoke(other, T)]).toEqual([true, false]);
      expect((await store.tokens.list()).map((t) => [t.label, t.revoked_at !== null])).toEqual([
        ['script', true],
        ['x', true],
      ]);
      await store.sessions.end(session, 'signed out', T);
    });
  });

  describe('sign-in attempts and refusals', () => {
    it('counts attempts by client and address in the window, and keeps refusal windows', async () => {
      const { store } = await engine.fresh();
      expect(await store.signIns.emailHashKey()).toMatch(/^[0-9a-f]{32,}$/);
      await store.signIns.addAttempt('k1', '10.0.0.1', T - 3000, false);
      await store.signIns.addAttempt('k1', '10.0.0.2', T - 2000, true);
      await store.signIns.addAttempt('k2', '10.0.0.1', T - 1000, false);
      const since = T - 10_000;
      expect([
        await store.signIns.countAttempts({ client: '10.0.0.1', since }),
        await store.signIns.countAttempts({ emailKey: 'k1', since }),
        await store.signIns.countAttempts({ emailKey: 'k1', client: '10.0.0.1', since }),
        await store.signIns.countAttempts({ emailKey: 'k1', since: T - 2500 }),
      ]).toEqual([2, 2, 1, 1]);
      expect([await store.signIns.attemptAt({ client: '10.0.0.1', since }, 0), await store.signIns.attemptAt({ client: '10.0.0.1', since }, 1), await store.signIns.attemptAt({ client: '10.0.0.1', since }, 2)]).toEqual([T - 1000, T - 3000, undefined]);
      expect([await store.signIns.lastHeldAttemptAt('k1'), await store.signIns.lastHeldAttemptAt('k2')]).toEqual([T - 2000, null]);
      await store.signIns.forgetAttempts('k1', '10.0.0.1');
      await store.signIns.dropAttemptsBefore(T - 1500);
      expect(await store.signIns.countAttempts({ since })).toBe(1);
      expect(await store.signIns.countRefusal('10.0.0.9', T, T)).toBe(false);
      await store.signIns.openRefusalWindow('10.0.0.9', T, T);
      expect(await store.signIns.countRefusal('10.0.0.9', T, T + 10)).toBe(true);
      expect(await store.signIns.closedRefusalWindows(60_000, T + 59_999)).toEqual([]);
      expect(await store.signIns.closedRefusalWindows(60_000, T + 60_000)).toEqual([{ client: '10.0.0.9', window_start: T, count: 2, first_at: T, last_at: T + 10 }]);
      await store.signIns.dropRefusalWindow('10.0.0.9', T);
      expect(await store.signIns.closedRefusalWindows(60_000, T + 60_000)).toEqual([]);
    });
  });

  describe('the audit trail', () => {
    it('appends entries and reads them newest first, filtered and paged', async () => {
      const { store } = await engine.fresh();
      const entry = (at: number, actor: string, action: string) => ({ at, actor, role: null, action, outcome: 'allowed', target: '/', filters: null, detail: null, client: null });
      await store.audit.append([entry(T, 'a', 'sign_in'), entry(T + 1, 'b', 'export'), entry(T + 2, 'a', 'export')]);
      const all = await store.audit.read({ page: 1, pageSize: 10 });
      expect([all.total, all.rows.map((r) => r.at)]).toEqual([3, [T + 2, T + 1, T]]);
      const some = await store.audit.read({ actor: 'a', action: 'export', page: 1, pageSize: 10 });
      expect(some.rows.map((r) => [r.actor, r.action])).toEqual([['a', 'export']]);
      const ranged = await store.audit.read({ from: T + 1, to: T + 2, page: 1, pageSize: 10 });
      expect(ranged.rows.map((r) => r.at)).toEqual([T + 1]);
      expect((await store.audit.read({ page: 2, pageSize: 2 })).rows.map((r) => r.at)).toEqual([T]);
    });
  });

  describe('write transactions', () => {
    it('commit what the work wrote together, or nothing when it throws; a write within a write joins it', async () => {
      const { store } = await engine.fresh();
      await store.write(async (tx) => {
        await tx.meta.set('a', '1');
        // Asked of the store itself while inside: part of the same transaction, not a wait for its own turn.
        await store.meta.set('b', '2');
        await store.write((inner) => inner.meta.set('c', '3'));
      });
      expect([await store.meta.get('a'), await store.meta.get('b'), await store.meta.get('c')]).toEqual(['1', '2', '3']);
      await expect(
        store.write(async (tx) => {
          await tx.meta.set('a', 'changed');
          throw new Error('half-way');
        }),
      ).rejects.toThrow('half-way');
      expect(await store.meta.get('a')).toBe('1');
    });

    it('say the database is busy when another server holds what they must write past the wait, and go ahead once it is free', async () => {
      const { store, second } = await engine.fresh();
      if (!second) return; // one connection only: there is no other server to hold a lock
      const other = second();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      // The same row on both sides: SQLite locks the whole file for a writer, PostgreSQL the row.
      const holding = other.write(async (tx) => {
        await tx.meta.set('x', 'held');
        entered();
        await held;
      });
      await inside;
      await expect(store.write((tx) => tx.meta.set('x', '1'), { waitMs: 0 })).rejects.toBeInstanceOf(StoreBusyError);
      const waiting = store.write((tx) => tx.meta.set('x', '2'), { waitMs: 5000 });
      setTimeout(release, 200);
      await holding;
      await waiting;
      expect(await store.meta.get('x')).toBe('2');
      await other.close();
    });
  });

  describe('backups', () => {
    it('copy the whole database to a new file, checked, and never overwrite one; a restore brings it back whole, past every version held', async () => {
      const { store, config } = await engine.fresh();
      if (!config) return; // nothing to restore into
      await importRows(store, [referral('R-1'), referral('R-2')]);
      const target = path.join(tempDir(), 'copy.backup');
      expect(await store.backup(target)).toMatchObject({ referrals: 2, batches: 1 });
      expect(fs.statSync(target).size).toBeGreaterThan(0);
      await expect(store.backup(target)).rejects.toThrow(/exists already/);
      // Later work, then the backup restored over it: the backup's rows, a new generation, a version past both.
      await importRows(store, [referral('R-3')]);
      const before = await store.facts.mark();
      expect(await restoreStore(target, config)).toMatchObject({ referrals: 2, batches: 1 });
      const after = await store.facts.mark();
      expect([await store.referrals.count(), after.version > before.version, after.generation !== before.generation]).toEqual([2, true, true]);
      // A damaged or foreign file is refused, and the database is as it was.
      const damaged = path.join(tempDir(), 'damaged.backup');
      fs.writeFileSync(damaged, fs.readFileSync(target).subarray(0, Math.floor(fs.statSync(target).size / 2)));
      const foreign = path.join(tempDir(), 'notes.backup');
      fs.writeFileSync(foreign, 'not a backup at all\n');
      await expect(restoreStore(damaged, config)).rejects.toBeInstanceOf(BackupError);
      await expect(restoreStore(foreign, config)).rejects.toBeInstanceOf(BackupError);
      expect([await store.referrals.count(), (await store.facts.mark()).version]).toEqual([2, after.version]);
      await store.close();
    });
  });
});
