import type { BreakerState } from '@app/database';
import { REDIS_COMMAND_TIMEOUT_MS, RedisConnection } from '@app/redis';
import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import { decodeEntry, encodeEntry, type CacheEntry } from './cache-entry';
import { EPOCH, INVALIDATION_CHANNEL, VERSIONS_KEY } from './cache-key';

const BUMP = `local v = {}
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
v[ARGV[1]] = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
for i = 3, #ARGV do v[ARGV[i]] = redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
return cjson.encode(v)`;

/**
 * The cache's Redis commands through one breaker: failures, timeouts or a dropped connection open it
 * (`down`, callers bypass Redis); a PING every second probes, success closes it (`up`). Entries go through
 * cache-manager; versions are raw commands and a script (cache-manager has no increment and no pub/sub).
 */
@Injectable()
export class RedisCacheStore extends EventEmitter<{ up: []; down: [] }> implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisCache');
  /** False without Redis, or with caching off. */
  readonly configured: boolean;
  private readonly client: Redis | null;
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown> | null = null;
  private up = true;
  /** Store errors cache-manager reported: its `get` turns them into misses after emitting them. */
  private readErrors = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly connection: RedisConnection,
  ) {
    super();
    const client = (this.client = connection.subscriber === null ? null : connection.client);
    this.configured = client !== null;
    if (client === null) return;
    cache.on('get', ({ error }) => (this.readErrors += error === undefined ? 0 : 1));
    const breaker = new CircuitBreaker((operation: () => Promise<unknown>) => operation(), {
      timeout: REDIS_COMMAND_TIMEOUT_MS + 50, // also for what waits outside a command
      resetTimeout: 1000,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      // A few command timeouts: three in a row open it, even after hours of successes.
      rollingCountTimeout: 5000,
      rollingCountBuckets: 10,
    });
    breaker.on('open', () => this.changed(false));
    breaker.on('close', () => this.changed(true));
    // Without an offline queue, a PING on a connection that is not ready fails at once (no hang).
    breaker.on('halfOpen', () => void this.run(() => client.ping()).catch(() => undefined));
    client.on('close', () => {
      if (!breaker.isShutdown && !connection.closed) breaker.open();
    });
    this.breaker = breaker;
  }

  get closed(): boolean {
    return this.breaker?.closed ?? false;
  }

  get state(): BreakerState {
    return this.breaker === null || this.breaker.closed ? 'closed' : this.breaker.halfOpen ? 'half-open' : 'open';
  }

  get(key: string): Promise<CacheEntry | undefined> {
    return this.run(async () => {
      const errors = this.readErrors;
      const value = await this.cache.get<string>(this.connection.keyspace + key);
      // A failure for the breaker (and the caller writes nothing back), not a miss.
      if (this.readErrors !== errors) throw new Error('Redis read failed');
      return decodeEntry(value);
    });
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    await this.run(() => this.cache.set(this.connection.keyspace + key, encodeEntry(entry), ttlMs));
  }

  async clear(): Promise<void> {
    await this.cache.clear();
  }

  /** 0 for a version never bumped; the epoch is set at its first read (again if Redis lost it). */
  read(names: readonly string[]): Promise<number[]> {
    return this.run(async () => {
      const key = this.connection.keyspace + VERSIONS_KEY;
      let found = await this.client!.hmget(key, ...names);
      if (found.some((version, i) => version === null && names[i] === EPOCH)) {
        await this.client!.hsetnx(key, EPOCH, Date.now());
        found = await this.client!.hmget(key, ...names);
      }
      return found.map(Number);
    });
  }

  /**
   * BUMP (the versions hash; the epoch's name, now, the names), then PUBLISH of the bus's message for them: sent
   * from the script, it reached other instances after the write's answer (replicas e2e, 3 runs in 4). */
  async bump(names: readonly string[], message: (versions: Record<string, number>) => string) {
    const { keyspace } = this.connection;
    const json = await this.run(() => this.client!.eval(BUMP, 1, keyspace + VERSIONS_KEY, EPOCH, Date.now(), ...names));
    const versions = JSON.parse(json as string) as Record<string, number>;
    await this.run(() => this.client!.publish(keyspace + INVALIDATION_CHANNEL, message(versions)));
    return versions;
  }

  onApplicationShutdown(): void {
    this.breaker?.shutdown();
  }

  private run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.breaker === null) return Promise.reject(new Error('Redis is not configured'));
    if (this.connection.closed) return Promise.reject(new Error('Redis connection closed'));
    return this.breaker.fire(operation) as Promise<T>;
  }

  private changed(up: boolean): void {
    // While Redis stays down the breaker re-opens after every failed probe: log the transitions only.
    if (up && !this.up) this.logger.log('Redis breaker closed: cache back in use');
    if (!up && this.up) this.logger.warn('Redis breaker open: cache bypassed, in-process tier off too');
    this.up = up;
    this.emit(up ? 'up' : 'down');
  }
}
