import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../scripts/lib/app-process.mjs';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster of our own, for tests that stop the database: the machine's
 * shared server on 5432 is used by other test runs and must never be stopped.
 */
export class PrivatePostgres {
  private running = false;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
  ) {}

  /** initdb + start on a free port; trust auth, user and database `postgres`. */
  static async create(): Promise<PrivatePostgres> {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    const bin = `/usr/lib/postgresql/${versions[0]}/bin`;
    const dir = mkdtempSync('/tmp/prepnexus-pg-');
    const pg = new PrivatePostgres(await freePort(), dir, bin);
    try {
      if (userInfo().uid === 0) chownSync(dir, ...(await postgresIds()));
      await pg.asPostgres(`${bin}/initdb -D ${dir} -A trust -U postgres --no-sync > /dev/null`);
      await pg.start();
      return pg;
    } catch (err: unknown) {
      await pg.destroy();
      throw err;
    }
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.asPostgres(
      `${this.bin}/pg_ctl -D ${this.dir} -l ${join(this.dir, 'server.log')} -o "${options}" -w -t 30 start`,
    );
    this.running = true;
  }

  /** Fast shutdown, as an operator or a crashing host would: sessions are cut. */
  async stop(): Promise<void> {
    await this.asPostgres(`${this.bin}/pg_ctl -D ${this.dir} -m fast -w stop`);
    this.running = false;
  }

  /** Always safe to call: stops the server if it runs and removes its files. */
  async destroy(): Promise<void> {
    if (this.running) {
      await this.asPostgres(`${this.bin}/pg_ctl -D ${this.dir} -m immediate -w stop`).catch(() => undefined);
      this.running = false;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async asPostgres(command: string): Promise<void> {
    // PostgreSQL refuses to run as root.
    if (userInfo().uid === 0) await run('su', ['postgres', '-c', command]);
    else await run('sh', ['-c', command]);
  }
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return [Number(stdout.trim()), Number(gid.trim())];
}
