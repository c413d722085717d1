import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitForPort } from '../scripts/lib/app-process.mjs';

export const SENTINEL_GROUP = 'prepnexus-test';

/**
 * A private Redis primary, one replica of it and three Sentinels (quorum 2) watching them, on free
 * ports (Debian's redis-server and redis-sentinel; never the shared Redis on 6379). For failover tests.
 */
export class RedisSentinelGroup {
  private constructor(
    readonly primaryPort: number,
    readonly replicaPort: number,
    readonly sentinelPorts: number[],
    private readonly dir: string,
    private readonly children: ChildProcess[],
  ) {}

  static async start(): Promise<RedisSentinelGroup> {
    const dir = mkdtempSync('/tmp/prepnexus-sentinel-');
    const children: ChildProcess[] = [];
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    const group = new RedisSentinelGroup(primaryPort, replicaPort, sentinelPorts, dir, children);
    try {
      // --dir: a replica's full sync writes an RDB file there (never into the working tree).
      const server = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
      children.push(spawn('redis-server', ['--port', String(primaryPort), ...server], { stdio: 'ignore' }));
      const replicaOf = ['--replicaof', '127.0.0.1', String(primaryPort)];
      children.push(
        spawn('redis-server', ['--port', String(replicaPort), ...server, ...replicaOf], { stdio: 'ignore' }),
      );
      for (const port of sentinelPorts) {
        // Sentinel rewrites its own file (what it learns), so each has one.
        const file = join(dir, `sentinel-${port}.conf`);
        writeFileSync(
          file,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `sentinel monitor ${SENTINEL_GROUP} 127.0.0.1 ${primaryPort} 2`,
            `sentinel down-after-milliseconds ${SENTINEL_GROUP} 1000`,
            `sentinel failover-timeout ${SENTINEL_GROUP} 10000`,
            '',
          ].join('\n'),
        );
        children.push(spawn('redis-sentinel', [file], { stdio: 'ignore' }));
      }
      for (const port of [primaryPort, replicaPort, ...sentinelPorts]) await waitForPort(port);
      await group.waitUntil('the replica to be known and in sync', async () => {
        const replicas = (await group.sentinel(['REPLICAS', SENTINEL_GROUP])) as string[][];
        return replicas.some((fields) => fields.includes('master-link-status') && fields.includes('ok'));
      });
      return group;
    } catch (err: unknown) {
      await group.stop();
      throw err;
    }
  }

  /** `host:port,…` as REDIS_SENTINELS takes it. */
  get sentinelList(): string {
    return this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** The port of the primary the Sentinels currently name. */
  async currentPrimaryPort(): Promise<number> {
    const [, port] = (await this.sentinel(['GET-MASTER-ADDR-BY-NAME', SENTINEL_GROUP])) as string[];
    return Number(port);
  }

  /** A forced failover (SENTINEL FAILOVER), resolved once every Sentinel names the new primary. */
  async failover(): Promise<number> {
    const before = await this.currentPrimaryPort();
    await this.sentinel(['FAILOVER', SENTINEL_GROUP]);
    await this.waitUntil('the Sentinels to elect the replica', async () => {
      const named = await Promise.all(
        this.sentinelPorts.map((port) => this.sentinelOn(port, 'GET-MASTER-ADDR-BY-NAME')),
      );
      return named.every((reply) => Number((reply as string[])[1]) !== before);
    });
    return this.currentPrimaryPort();
  }

  /** One command on a server of the group. */
  async command(port: number, args: string[]): Promise<unknown> {
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      return await client.call(args[0], ...args.slice(1));
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private sentinel(args: string[]): Promise<unknown> {
    return this.command(this.sentinelPorts[0], ['SENTINEL', ...args]);
  }

  private sentinelOn(port: number, subcommand: string): Promise<unknown> {
    return this.command(port, ['SENTINEL', subcommand, SENTINEL_GROUP]);
  }

  private async waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`Redis Sentinel group: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
