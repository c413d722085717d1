import type { AppConfig } from '@app/config';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis, type RedisOptions } from 'ioredis';
import { withTimeout } from './with-timeout';

/** Per command: a Redis that answers slower than this is treated as down (the request goes on without it). */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
export const REDIS_CONNECT_TIMEOUT_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 500;

/**
 * The process's Redis connections, one library (ioredis) for all: one command connection shared by the
 * cache (L2, through cache-manager's Keyv store), the invalidation bus's publishes and the rate limits,
 * and one subscriber for the cache's bus. Created so that Redis trouble never holds a request (DESIGN.md §9):
 * no offline queue and no retries of a command (it fails at once while disconnected), a command timeout,
 * a short connect timeout, reconnection forever with a capped delay. `null` members when no Redis is
 * configured; `subscriber` only while caching is on.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  /** Prepended to every Redis key and channel name of this deployment (`<CACHE_KEYSPACE>:`). */
  readonly keyspace: string;
  readonly client: Redis | null = null;
  readonly subscriber: Redis | null = null;
  /** What the log last said, so an outage is one line, not one per reconnect attempt. */
  private reported: 'up' | 'down' | null = null;
  private shutDown = false;
  /** With Sentinels, what the log names instead of a fixed address (which changes at each failover). */
  private readonly where: string | null = null;

  constructor(config: ConfigService<AppConfig, true>) {
    const redis = config.get('redis', { infer: true });
    const cache = config.get('cache', { infer: true });
    this.keyspace = `${cache.keyspace}:`;
    if (redis === null) return;

    const options: RedisOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      // A command in flight when the connection drops fails at once instead of being resent later.
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      // How long disconnect() waits for a half-open socket (default 2 s would hold up shutdown).
      disconnectTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (times: number) => Math.min(100 * 2 ** times, MAX_RECONNECT_DELAY_MS),
    };
    const client = redis.sentinels
      ? new Redis(sentinelOptions(redis.url, redis, options))
      : new Redis(redis.url, options);
    this.where = redis.sentinels
      ? `primary of "${redis.sentinelName}" via Sentinels ${redis.sentinels.map((s) => `${s.host}:${s.port}`).join(', ')}`
      : null;
    client.on('error', (err: unknown) => this.report('down', errorMessage(err)));
    client.on('ready', () => this.report('up'));
    this.client = client;
    if (!cache.enabled) return;

    // Subscribed by hand on every (re)connection (CacheInvalidationBus), so it knows when it really is.
    this.subscriber = client.duplicate({ autoResubscribe: false });
    // Reported through the command connection; an unhandled 'error' event would crash the process.
    this.subscriber.on('error', () => undefined);
  }

  /** True once the application shuts down: nothing may use the connections any more. */
  get closed(): boolean {
    return this.shutDown;
  }

  async onModuleInit(): Promise<void> {
    if (this.client === null) return;
    // Boot does not wait for a Redis that is down (the app serves without it), only briefly for one
    // that is coming up, so that the first requests are cached.
    const connecting = this.client.connect().catch((err: unknown) => this.report('down', errorMessage(err)));
    await withTimeout(connecting, REDIS_CONNECT_TIMEOUT_MS).catch(() => undefined);
  }

  /** Runs after the HTTP server has drained (cache-manager's own disconnect, earlier, is a no-op). */
  async onApplicationShutdown(): Promise<void> {
    this.shutDown = true;
    const connections = [this.subscriber, this.client].filter((connection) => connection !== null);
    await Promise.all(connections.map(close));
  }

  private report(state: 'up' | 'down', reason = ''): void {
    if (this.reported === state || this.shutDown) return;
    this.reported = state;
    if (state === 'up') this.logger.log(`Redis connected (${this.where ?? redactUrl(this.client?.options ?? {})})`);
    else this.logger.warn(`Redis unreachable (${reason}): cache bypassed, rate limits per instance, reconnecting`);
  }
}

/**
 * Options that follow the primary Sentinel elects (REDIS_SENTINELS): ioredis asks the Sentinels where it
 * is on every (re)connection, and `failoverDetector` listens for their `+switch-master`, so a failover
 * moves the connection (and the duplicated subscriber) at once instead of after a timeout. A command
 * answered READONLY (the old primary, already demoted) reconnects too. Credentials and database come
 * from REDIS_URL when given.
 */
function sentinelOptions(
  url: string,
  redis: { sentinels?: { host: string; port: number }[]; sentinelName?: string },
  options: RedisOptions,
): RedisOptions {
  const parsed = new URL(url);
  const db = Number(parsed.pathname.slice(1));
  return {
    ...options,
    sentinels: redis.sentinels,
    name: redis.sentinelName,
    failoverDetector: true,
    sentinelCommandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    sentinelRetryStrategy: (times: number) => Math.min(100 * 2 ** times, MAX_RECONNECT_DELAY_MS),
    reconnectOnError: (err: Error) => err.message.startsWith('READONLY'),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
  };
}

/** QUIT waits for pending replies, bounded: a hung Redis must not hold up SIGTERM. */
async function close(connection: Redis): Promise<void> {
  if (connection.status === 'ready') await withTimeout(connection.quit(), REDIS_COMMAND_TIMEOUT_MS).catch(() => 0);
  connection.disconnect();
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/** Where Redis is, without a password, for logs. */
function redactUrl({ host, port, db }: { host?: string; port?: number; db?: number }): string {
  return `${host ?? '?'}:${port ?? '?'}/${db ?? 0}`;
}
