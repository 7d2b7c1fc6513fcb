// A private PostgreSQL server for the tests and benchmarks: Debian's
// PostgreSQL binaries, a cluster made with initdb in a temporary folder,
// listening on a free port of 127.0.0.1 only, stopped and removed at the end.
// As root, initdb and the server run as the `postgres` user (PostgreSQL
// refuses to run as root). Nothing here touches a cluster of the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The one role of a private cluster that is not trusted: it must give its password. */
export const PASSWORD_ROLE = 'tm_password_role';

export interface PostgresCluster {
  /** An address of the server's `postgres` database as its superuser (make databases from it). */
  adminUrl: string;
  stop(): void;
}

/** The newest installed server's binaries, or null with the reason in words. */
export function postgresBinaries(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) return { missing: `no PostgreSQL server is installed (${root}/<version>/bin/initdb not found: apt-get install postgresql)` };
  versions.sort((a, b) => Number(b) - Number(a));
  return { bin: path.join(root, versions[0], 'bin') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a new cluster; throws in words when it cannot. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const found = postgresBinaries();
  if ('missing' in found) throw new Error(found.missing);
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takedown-pg-'));
  const data = path.join(dir, 'data');
  const sockets = path.join(dir, 'run');
  fs.mkdirSync(sockets);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    const result = spawnSync(file, argv, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) throw new Error(`${path.basename(command)} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
  };
  const port = await freePort();
  run(path.join(found.bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  // Every role is trusted from 127.0.0.1 but one, which must give its password: the tests of refused credentials sign in as it.
  const hba = path.join(data, 'pg_hba.conf');
  fs.writeFileSync(hba, `host all ${PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n${fs.readFileSync(hba, 'utf8')}`);
  if (asRoot) execFileSync('chown', ['postgres:postgres', hba]);
  // A throwaway server: durability traded for speed (a crash loses only test data).
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${sockets}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c shared_buffers=256MB',
  ].join(' ');
  run(path.join(found.bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(path.join(found.bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
