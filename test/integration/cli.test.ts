// The command line: npm run import -- <file> [--format] [--report]; exit 0 committed, 1 rejected, 2 usage.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '@/db/sqlite/store';
import { FIXTURE_CSV, tempDir } from '../helpers/db';
import { csvOf, validRow } from '../helpers/rows';

function run(script: string, args: string[], databasePath: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_PATH: databasePath },
  });
}

describe('npm run import', () => {
  it('exits 0 and prints the counts when the batch is committed, then reports it unchanged', () => {
    const dbPath = path.join(tempDir(), 'cli.db');
    const first = run('import.ts', [FIXTURE_CSV], dbPath);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Batch 1 committed: referrals-small\.csv/);
    expect(first.stdout).toMatch(/24 rows: 24 inserted, 0 updated, 0 unchanged/);
    expect(first.stdout).toMatch(/platforms: alpha, beta, gamma/);
    const second = run('import.ts', [FIXTURE_CSV], dbPath);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/24 rows: 0 inserted, 0 updated, 24 unchanged/);
    expect(second.stdout).toMatch(/Nothing changed/);
  });

  it('exits 1, changes nothing and writes every error to --report as CSV', () => {
    const dir = tempDir();
    const dbPath = path.join(dir, 'cli.db');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, csvOf([validRow({ referral_id: 'A', kind: 'order' }), validRow({ referral_id: 'B', url: 'mailto:x@y.z' })]));
    const report = path.join(dir, 'errors.csv');
    const result = run('import.ts', [bad, '--report', report], dbPath);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Batch 1 rejected: bad\.csv/);
    expect(result.stderr).toMatch(/line 2, kind: kind 'order' is not one of/);
    expect(fs.readFileSync(report, 'utf8')).toBe(
      "line,field,message\r\n2,kind,\"kind 'order' is not one of: referral, removal_order\"\r\n3,url,url 'mailto:x@y.z' is not an absolute http(s) URL\r\n",
    );
    const db = SqliteStore.open(dbPath);
    expect(db.db.$client.prepare('SELECT count(*) FROM referrals').pluck().get()).toBe(0);
    expect(db.db.$client.prepare('SELECT status, rejected, error_count FROM import_batches').get()).toEqual({ status: 'rejected', rejected: 2, error_count: 2 });
  });

  it('exits 2 on a usage error: no file, a missing file, an unknown format', () => {
    const dbPath = path.join(tempDir(), 'cli.db');
    const none = run('import.ts', [], dbPath);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/usage: npm run import/);
    const missing = run('import.ts', ['/nonexistent/file.csv'], dbPath);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file: \/nonexistent\/file\.csv/);
    const format = run('import.ts', [FIXTURE_CSV, '--format', 'xlsx'], dbPath);
    expect(format.status).toBe(2);
    expect(format.stderr).toMatch(/unknown --format 'xlsx'/);
  });

  it('honours --format for a file without a telling extension', () => {
    const dir = tempDir();
    const file = path.join(dir, 'export.txt');
    fs.writeFileSync(file, `${JSON.stringify(validRow({ referral_id: 'F-1' }))}\n`);
    const result = run('import.ts', [file, '--format', 'ndjson'], path.join(dir, 'cli.db'));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\(ndjson,/);
  });
});

describe('npm run user', () => {
  it('adds users with a generated password shown once, lists them, makes and revokes tokens, resets passwords and disables users, each in the audit trail', async () => {
    const { checkApiToken, findUserByEmail } = await import('@/lib/auth/accounts');
    const { verifyPassword } = await import('@/lib/auth/secrets');
    const dbPath = path.join(tempDir(), 'users.db');
    // The set-up's first administrator: only on a database without users.
    const first = run('user.ts', ['add', 'Admin@Example.org', '--role', 'admin', '--name', 'Demo administrator', '--only-if-no-users'], dbPath);
    expect(first.status, first.stderr).toBe(0);
    const password = first.stdout.match(/Password \(shown only now; the user signs in with it\): (\S+)/)![1];
    expect(password).toMatch(/^[A-Za-z2-9]{20}$/);
    const again = run('user.ts', ['add', 'other@example.org', '--role', 'admin', '--only-if-no-users'], dbPath);
    expect([again.status, again.stdout.trim()]).toEqual([0, 'Users exist already: no user added.']);

    expect(run('user.ts', ['add', 'analyst@example.org', '--role', 'analyst'], dbPath).status).toBe(0);
    expect(run('user.ts', ['add', 'analyst@example.org', '--role', 'viewer'], dbPath)).toMatchObject({ status: 1, stderr: 'a user with the e-mail address analyst@example.org exists already\n' });
    expect(run('user.ts', ['add', 'x@example.org', '--role', 'superuser'], dbPath).status).toBe(2);
    expect(run('user.ts', ['disable', 'nobody@example.org'], dbPath)).toMatchObject({ status: 1, stderr: 'there is no user with the e-mail address nobody@example.org\n' });

    const list = run('user.ts', ['list'], dbPath);
    expect(list.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 3).join(' '))).toEqual(['admin@example.org admin active', 'analyst@example.org analyst active']);

    const token = run('user.ts', ['token', 'analyst@example.org', '--label', 'nightly export'], dbPath);
    const value = token.stdout.split('\n')[1];
    expect(value).toMatch(/^tm_[A-Za-z0-9_-]{43}$/);
    let db = SqliteStore.open(dbPath);
    expect((await checkApiToken(db, value))?.principal).toMatchObject({ email: 'analyst@example.org', role: 'analyst' });
    expect(await verifyPassword((await findUserByEmail(db, 'admin@example.org'))!.password_hash, password)).toBe(true);
    db.db.$client.close();

    const reset = run('user.ts', ['reset-password', 'admin@example.org'], dbPath);
    const newPassword = reset.stdout.match(/New password for admin@example\.org \(shown only now\): (\S+)/)![1];
    expect(run('user.ts', ['token', '--revoke', '1'], dbPath).stdout.trim()).toBe('API token 1 revoked.');
    expect(run('user.ts', ['disable', 'analyst@example.org'], dbPath).stdout.trim()).toBe('Disabled analyst@example.org: 0 session(s) ended, 0 API token(s) revoked.');

    db = SqliteStore.open(dbPath);
    expect(await checkApiToken(db, value)).toBeNull();
    const admin = (await findUserByEmail(db, 'admin@example.org'))!;
    expect([await verifyPassword(admin.password_hash, password), await verifyPassword(admin.password_hash, newPassword)]).toEqual([false, true]);
    const audit = db.db.$client.prepare('SELECT actor, action, target FROM audit_log ORDER BY id').all() as { actor: string; action: string; target: string }[];
    expect(audit.map((a) => `${a.action} ${a.target}`)).toEqual([
      'user_add admin@example.org',
      'user_add analyst@example.org',
      'token_create analyst@example.org',
      'password_reset admin@example.org',
      'token_revoke API token 1',
      'user_disable analyst@example.org',
    ]);
    expect(audit.every((a) => a.actor.startsWith('cli:'))).toBe(true);
    // Neither password nor token is in the trail.
    expect(JSON.stringify(audit)).not.toMatch(new RegExp(`${password}|${newPassword}|${value}`));
    db.db.$client.close();
  }, 120_000);
});
