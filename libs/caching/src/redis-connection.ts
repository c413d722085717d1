import type { AppConfig } from '@app/config';
import KeyvRedis, { createClient, Keyv } from '@keyv/redis';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { withTimeout } from './with-timeout';

export type RedisClient = ReturnType<typeof createClient>;

/** Per command: a Redis that answers slower than this is treated as down (the request goes on without it). */
export const REDIS_COMMAND_TIMEOUT_MS = 200;
export const REDIS_CONNECT_TIMEOUT_MS = 1000;
// Also bounds how long a shutdown during an outage waits: node-redis sleeps out its reconnect delay.
const MAX_RECONNECT_DELAY_MS = 500;

/**
 * cache-manager disconnects its stores in `onModuleDestroy`, which Nest runs before the HTTP server
 * has drained: requests still in flight would lose Redis (and their invalidations). The connection is
 * closed by `RedisConnection` at application shutdown instead.
 */
class ApplicationOwnedKeyv extends Keyv {
  override disconnect(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The node-redis client behind the shared tier (L2), created the way DESIGN.md §9 requires: no offline
 * queue (commands fail at once while disconnected instead of piling up and hanging requests and
 * SIGTERM), short connect and command timeouts, reconnection forever with a capped delay, and closed
 * on shutdown. `null` members when no Redis is configured or caching is off.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisCache');
  readonly url: string | null;
  /** Prepended to every Redis key and channel name of this deployment (`<CACHE_KEYSPACE>:`). */
  readonly keyspace: string;
  readonly client: RedisClient | null = null;
  /** The Keyv store handed to cache-manager; it throws on Redis errors so the breaker sees them. */
  readonly keyv: Keyv | null = null;
  /** What the log last said, so an outage is one line, not one per reconnect attempt. */
  private reported: 'up' | 'down' | null = null;
  private shutDown = false;

  constructor(config: ConfigService<AppConfig, true>) {
    const redis = config.get('redis', { infer: true });
    const cache = config.get('cache', { infer: true });
    this.url = cache.enabled && redis ? redis.url : null;
    this.keyspace = `${cache.keyspace}:`;
    if (this.url === null) return;

    this.client = createClient({
      url: this.url,
      disableOfflineQueue: true,
      commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
      socket: {
        connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
      },
    });
    const store = new KeyvRedis(this.client, { throwOnConnectError: true, throwOnErrors: true });
    this.keyv = new ApplicationOwnedKeyv(store, { useKeyPrefix: false, throwOnErrors: true });
    // Keys are used exactly as built (`pn:...`), without Keyv's `keyv:` namespace.
    this.keyv.namespace = undefined;
    // Unhandled 'error' events would crash the process; one line per outage is enough.
    this.keyv.on('error', () => undefined);
    this.client.on('error', (err: unknown) => {
      if (this.reported === 'down' || this.shutDown) return;
      this.reported = 'down';
      this.logger.warn(`Redis unreachable (${errorMessage(err)}): cache bypassed while reconnecting`);
    });
    this.client.on('ready', () => {
      if (this.reported === 'up') return;
      this.reported = 'up';
      this.logger.log(`Redis connected (${redactUrl(this.url ?? '')})`);
    });
  }

  /** True once the application shuts down: nothing may use (and so reopen) the client any more. */
  get closed(): boolean {
    return this.shutDown;
  }

  async onModuleInit(): Promise<void> {
    if (this.client === null) return;
    // Boot does not wait for a Redis that is down (the app serves without it), only briefly for one
    // that is coming up, so that the first requests are cached.
    const connecting = this.client.connect().catch((err: unknown) => {
      this.logger.warn(`Redis connect failed: ${errorMessage(err)}`);
    });
    await withTimeout(connecting, REDIS_CONNECT_TIMEOUT_MS).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.shutDown = true;
    const client = this.client;
    if (client === null || !client.isOpen) return;
    // close() waits for pending replies; on a client that is not ready it could wait forever.
    if (client.isReady) await withTimeout(client.close(), REDIS_CONNECT_TIMEOUT_MS).catch(() => undefined);
    if (client.isOpen) client.destroy();
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
