// Private PostgreSQL clusters on free ports for the tests and CI: a primary and, optionally, a streaming
// replica of it (pg_basebackup -R), and a PgBouncer in front of one. Run as the `postgres` OS user when
// started as root (PostgreSQL refuses root). Never touches the machine's shared server on 5432.
import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './app-process.mjs';

const run = promisify(execFile);
const isRoot = userInfo().uid === 0;

/** The newest installed PostgreSQL's binaries (Debian layout: /usr/lib/postgresql/<major>/bin). */
export function postgresBin() {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

async function asPostgres(command) {
  if (isRoot) return run('su', ['postgres', '-c', command]);
  return run('sh', ['-c', command]);
}

async function postgresOwnedDir(prefix) {
  const dir = mkdtempSync(`/tmp/${prefix}`);
  if (isRoot) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(uid.trim()), Number(gid.trim()));
  }
  return dir;
}

/** One cluster: start/stop (fast, as an operator or a failing host would), destroy removes its files. */
class Cluster {
  constructor(port, dir, bin) {
    this.port = port;
    this.dir = dir;
    this.bin = bin;
    this.running = false;
  }

  async start() {
    // wal_level=replica and max_wal_senders are the defaults, spelled out: a replica is made of this one.
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c wal_level=replica',
      '-c max_wal_senders=5',
    ].join(' ');
    await asPostgres(
      `${this.bin}/pg_ctl -D ${this.dir} -l ${join(this.dir, 'server.log')} -o "${options}" -w -t 60 start`,
    );
    this.running = true;
  }

  async stop() {
    await asPostgres(`${this.bin}/pg_ctl -D ${this.dir} -m fast -w stop`);
    this.running = false;
  }

  async destroy() {
    if (this.running) {
      await asPostgres(`${this.bin}/pg_ctl -D ${this.dir} -m immediate -w stop`).catch(() => undefined);
      this.running = false;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** initdb + start on a free port; trust auth (replication connections included), user and database `postgres`. */
export async function createPrimary() {
  const bin = postgresBin();
  const primary = new Cluster(await freePort(), await postgresOwnedDir('prepnexus-primary-'), bin);
  try {
    await asPostgres(`${bin}/initdb -D ${primary.dir} -A trust -U postgres --no-sync > /dev/null`);
    await primary.start();
    return primary;
  } catch (err) {
    await primary.destroy();
    throw err;
  }
}

/**
 * A hot standby streaming from `primary`: pg_basebackup -R writes standby.signal and primary_conninfo,
 * so it starts replaying at once. Resolves once it accepts connections.
 */
export async function createReplica(primary) {
  const replica = new Cluster(await freePort(), await postgresOwnedDir('prepnexus-replica-'), primary.bin);
  try {
    await asPostgres(
      `${primary.bin}/pg_basebackup -h 127.0.0.1 -p ${primary.port} -U postgres -D ${replica.dir} -R -X stream -c fast --no-sync`,
    );
    await replica.start();
    return replica;
  } catch (err) {
    await replica.destroy();
    throw err;
  }
}

/** A primary and a streaming replica of it. `destroy()` removes both. */
export async function createStreamingPair() {
  const primary = await createPrimary();
  try {
    const replica = await createReplica(primary);
    return {
      primary,
      replica,
      async destroy() {
        await replica.destroy();
        await primary.destroy();
      },
    };
  } catch (err) {
    await primary.destroy();
    throw err;
  }
}

/**
 * PgBouncer in transaction mode in front of `target` (any database, trust auth, as the `postgres` OS user
 * when root). `ignore_startup_parameters` lets the app's startup settings through (pg sends
 * statement_timeout and idle_in_transaction_session_timeout there; PgBouncer 1.18 refuses unknown ones).
 */
export async function startPgBouncer(target, { poolSize = 20 } = {}) {
  const dir = await postgresOwnedDir('prepnexus-pgbouncer-');
  const port = await freePort();
  const ini = [
    '[databases]',
    `* = host=127.0.0.1 port=${target.port}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    `unix_socket_dir = ${dir}`,
    'auth_type = trust',
    `auth_file = ${join(dir, 'users.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${poolSize}`,
    'max_client_conn = 500',
    'ignore_startup_parameters = extra_float_digits,statement_timeout,idle_in_transaction_session_timeout',
    `logfile = ${join(dir, 'pgbouncer.log')}`,
    `pidfile = ${join(dir, 'pgbouncer.pid')}`,
  ].join('\n');
  writeFileSync(join(dir, 'pgbouncer.ini'), `${ini}\n`);
  writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n');
  const binary = existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer';
  const command = `${binary} ${join(dir, 'pgbouncer.ini')}`;
  const child = isRoot
    ? spawn('su', ['postgres', '-c', command], { stdio: 'ignore' })
    : spawn('sh', ['-c', command], { stdio: 'ignore' });
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    dir,
    async stop() {
      try {
        process.kill(Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8').trim()), 'SIGINT');
      } catch {
        child.kill('SIGTERM');
      }
      await new Promise((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', resolve);
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
