// The store's errors are known by name across copies of db/store.ts: Next.js
// loads modules more than once in one server (start-up and routes), and the
// soak of 2026-12-02 found audit entries dropped while another process
// imported, because the busy error of one copy was not an `instanceof` the
// other copy's class, so the entry was logged as lost instead of queued.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '@/db/open';
import { BackupError, StoreBusyError, StoreOpenError } from '@/db/store';
import { tempDir } from '../helpers/db';

afterEach(() => vi.restoreAllMocks());

describe('the store errors', () => {
  it('are recognised by the class of another copy of the module, and only their own', async () => {
    vi.resetModules();
    const copy = await import('@/db/store');
    expect(copy.StoreBusyError).not.toBe(StoreBusyError);
    expect(new copy.StoreBusyError()).toBeInstanceOf(StoreBusyError);
    expect(new StoreBusyError()).toBeInstanceOf(copy.StoreBusyError);
    expect(new copy.StoreOpenError('x')).toBeInstanceOf(StoreOpenError);
    expect(new copy.BackupError('x')).toBeInstanceOf(BackupError);
    expect(new StoreOpenError('x')).not.toBeInstanceOf(StoreBusyError);
    expect(new Error('The database is busy')).not.toBeInstanceOf(StoreBusyError);
    expect('StoreBusyError').not.toBeInstanceOf(StoreBusyError);
    expect(new StoreBusyError()).toBeInstanceOf(Error);
  });

  it('let an audit entry that met an import in another process wait and be written, whichever copy threw', async () => {
    const file = path.join(tempDir(), 'audit-busy.db');
    const store = openStore({ engine: 'sqlite', path: file });
    // Another process's import holds the write lock.
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    vi.resetModules();
    const { audit, flushAudit } = await import('@/lib/auth/audit');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    audit(store, { actor: 'steward@example.org', action: 'import', outcome: 'allowed', target: '/imports', at: Date.parse('2026-12-02T12:00:00Z') });
    await new Promise((r) => setTimeout(r, 150));
    expect(logged).not.toHaveBeenCalled();
    expect((await store.audit.read({ page: 1, pageSize: 10 })).total).toBe(0);
    other.exec('COMMIT');
    other.close();
    expect(await flushAudit()).toBe(true);
    const { rows } = await store.audit.read({ page: 1, pageSize: 10 });
    expect(rows.map((r) => [r.actor, r.action, r.target])).toEqual([['steward@example.org', 'import', '/imports']]);
    await store.close();
  });
});
