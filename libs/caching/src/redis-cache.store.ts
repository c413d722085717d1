import type { BreakerState } from '@app/database';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import CircuitBreaker from 'opossum';
import { clearKeyspace } from './clear-keyspace';
import { decodeEntry, encodeEntry, type CacheEntry } from './cache-entry';
import { INVALIDATION_CHANNEL, namespaceVersionKey } from './cache-keys';
import { REDIS_COMMAND_TIMEOUT_MS, RedisConnection, type RedisClient } from './redis-connection';

type Operation = () => Promise<unknown>;

/** How long the breaker stays open before it probes Redis again. */
export const REDIS_BREAKER_RESET_MS = 1000;

/**
 * The shared tier (L2) and every other Redis command the cache sends, each through one circuit
 * breaker: after repeated failures or timeouts (or at once when the connection drops) it opens, and
 * callers bypass Redis instead of waiting on it; every `REDIS_BREAKER_RESET_MS` a PING probes, and
 * success closes it. Values go through cache-manager (DESIGN.md §3), except reads: cache-manager's
 * `get` turns a store error into a miss, which would hide an outage from the breaker, so reads ask
 * its Keyv store directly (configured to throw).
 */
@Injectable()
export class RedisCacheStore implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisCache');
  private readonly breaker: CircuitBreaker<[Operation], unknown> | null = null;
  private readonly stateListeners: ((up: boolean) => void)[] = [];
  private up = true;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly connection: RedisConnection,
  ) {
    const client = connection.client;
    if (client === null) return;
    const breaker = new CircuitBreaker((op: Operation) => op(), {
      // A second guard above the per-command timeout, for anything that waits outside a command.
      timeout: REDIS_COMMAND_TIMEOUT_MS + 50,
      resetTimeout: REDIS_BREAKER_RESET_MS,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      // A short window, so a Redis that starts timing out after hours of successes opens it quickly.
      rollingCountTimeout: 1000,
      rollingCountBuckets: 10,
    });
    breaker.on('open', () => this.changed(false));
    breaker.on('close', () => this.changed(true));
    breaker.on('halfOpen', () => this.probe(client));
    // A dropped connection opens it at once: no request has to fail first (closing at shutdown aside).
    const open = (): void => {
      if (!breaker.isShutdown && !connection.closed) breaker.open();
    };
    client.on('reconnecting', open);
    client.on('end', open);
    this.breaker = breaker;
  }

  /** False when no Redis is configured (or caching is off). */
  get configured(): boolean {
    return this.breaker !== null;
  }

  /** Closed: Redis is in use. Open or half-open: callers bypass it. */
  get closed(): boolean {
    return this.breaker?.closed ?? false;
  }

  get state(): BreakerState {
    if (this.breaker === null || this.breaker.closed) return 'closed';
    return this.breaker.halfOpen ? 'half-open' : 'open';
  }

  /** The Redis name of a key or channel: this deployment's keyspace in front. */
  scoped(name: string): string {
    return this.connection.keyspace + name;
  }

  /** `up` is false when the breaker opens, true when it closes again. */
  onStateChange(listener: (up: boolean) => void): void {
    this.stateListeners.push(listener);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const keyv = this.connection.keyv;
    if (keyv === null) return undefined;
    return decodeEntry(await this.run(() => keyv.get<string>(this.scoped(key))));
  }

  /** `ttlMs` is how long Redis keeps it physically: past the entry's freshness, for stale-if-error. */
  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    await this.run(() => this.cache.set(this.scoped(key), encodeEntry(entry), ttlMs));
  }

  async delete(keys: string[]): Promise<void> {
    await this.run(() => this.cache.mdel(keys.map((key) => this.scoped(key))));
  }

  async publish(message: string): Promise<void> {
    await this.run(() => this.client().publish(this.scoped(INVALIDATION_CHANNEL), message));
  }

  /** Deletes every key of this deployment's keyspace. */
  clearKeyspace(): Promise<number> {
    return clearKeyspace(this.client(), this.connection.keyspace);
  }

  /** The namespace's current version, created on first use. */
  async readVersion(namespace: string): Promise<number> {
    return this.run(async () => {
      const client = this.client();
      const key = this.scoped(namespaceVersionKey(namespace));
      const current = await client.get(key);
      if (current !== null) return Number(current);
      await initialiseVersion(client, key);
      return Number(await client.get(key));
    });
  }

  /** Increments each namespace's version and returns the new ones. */
  async bumpVersions(namespaces: string[]): Promise<number[]> {
    return this.run(() =>
      Promise.all(
        namespaces.map(async (namespace) => {
          const client = this.client();
          const key = this.scoped(namespaceVersionKey(namespace));
          await initialiseVersion(client, key);
          return client.incr(key);
        }),
      ),
    );
  }

  onApplicationShutdown(): void {
    this.breaker?.shutdown();
  }

  private run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.breaker === null) return Promise.reject(new Error('Redis is not configured'));
    // After shutdown, a command would make @keyv/redis reconnect the closed client.
    if (this.connection.closed) return Promise.reject(new Error('Redis connection closed'));
    return this.breaker.fire(operation) as Promise<T>;
  }

  private client(): RedisClient {
    const client = this.connection.client;
    if (client === null) throw new Error('Redis is not configured');
    return client;
  }

  private probe(client: RedisClient): void {
    // Never PING a node-redis client that is not ready (DESIGN.md §9): the probe just fails instead.
    void this.run(async () => {
      if (!client.isReady) throw new Error('Redis is not ready');
      await client.ping();
    }).catch(() => undefined);
  }

  private changed(up: boolean): void {
    // While Redis stays down the breaker re-opens after every failed probe: log the transitions only.
    if (up !== this.up) {
      if (up) this.logger.log('Redis breaker closed: cache back in use');
      else this.logger.warn('Redis breaker open: cache bypassed, in-process tier off too');
      this.up = up;
    }
    for (const listener of this.stateListeners) listener(up);
  }
}

/**
 * A missing version starts at the current time in microseconds, not 0: after Redis loses its data,
 * versions must still move forward, or keys from before the loss (still in another instance's memory)
 * would come back to life.
 */
async function initialiseVersion(client: RedisClient, key: string): Promise<void> {
  await client.set(key, String(Date.now() * 1000), { condition: 'NX' });
}
