// The command line: npm run import -- <file> [--format] [--report]; exit 0 committed, 1 rejected, 2 usage.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
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
    const db = openDatabase(dbPath);
    expect(db.$client.prepare('SELECT count(*) FROM referrals').pluck().get()).toBe(0);
    expect(db.$client.prepare('SELECT status, rejected, error_count FROM import_batches').get()).toEqual({ status: 'rejected', rejected: 2, error_count: 2 });
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
