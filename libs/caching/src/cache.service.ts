import type { AppConfig } from '@app/config';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CacheEntry } from './cache-entry';
import { EPOCH, versionedKey, type CacheKey } from './cache-key';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import type { CacheStatus } from './cache-status';
import { ReadThrough } from './read-through';
import { RedisCacheStore } from './redis-cache.store';
import { Versions, type Stamp } from './versions';

/** A cached value, with the versions it was built under, or when it was loaded if it is a stale copy. */
export interface Cached<T> {
  value: T;
  /** None when the value bypassed the cache or is a stale copy. */
  stamp?: Stamp;
  /** Set for a stale copy served because the database is down: when it was loaded (epoch ms). */
  staleSince?: number;
}

/**
 * The cache the services use (DESIGN.md §6): versioned keys (cache-key.ts) read through an in-process
 * LRU (L1) and Redis (L2) (ReadThrough). A write calls `bump` with the versions of what it changed
 * before it answers; other instances hear the new versions on the bus. Redis trouble never fails a
 * call: reads go to `load()` while Redis is unusable. While the database is down, a read is answered
 * from the newest copy of its value.
 *
 * Values must be JSON: a read returns the JSON round trip of what `load()` returned, frozen.
 * `undefined` is never cached; throw to skip caching.
 */
@Injectable()
export class CacheService implements OnApplicationShutdown {
  private readonly enabled: boolean;
  private readonly tiers: ReadThrough;
  private readonly versions: Versions;
  private readonly logger = new Logger(CacheService.name);
  /** A bump never reached Redis: other instances may still read what it retired (see `recover`). */
  private missedBump = false;
  private recovery: NodeJS.Timeout | undefined;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly l2: RedisCacheStore,
    private readonly bus: CacheInvalidationBus,
  ) {
    const cache = config.get('cache', { infer: true });
    this.enabled = cache.enabled;
    this.tiers = new ReadThrough(cache, l2);
    this.versions = new Versions(l2.configured ? l2 : null, () => bus.confirmed);
    bus.onMessage(({ versions }) => this.versions.learn(versions));
    bus.onConfirmed(() => this.versions.forget());
    l2.onStateChange((up) => (up ? this.recover() : this.versions.forget()));
    this.announceMode(cache.enabled, l2.configured);
  }

  /** The cached value of `key`, or `load()`'s result, stored. */
  async getOrLoad<T>(key: CacheKey, load: () => Promise<T>): Promise<T> {
    return (await this.fetch(key, load)).value;
  }

  /** Like `getOrLoad`, and says which versions the value was built under, or that it is a stale copy. */
  async fetch<T>(key: CacheKey, load: () => Promise<T>): Promise<Cached<T>> {
    if (!this.enabled) return { value: await load() };
    const known = this.bypassed ? null : this.versions.current(key.deps);
    const versions = known === null || Array.isArray(known) ? known : await known.catch(() => null);
    if (versions === null) return (await this.tiers.bypass(key.id, load)) as Cached<T>;
    const found = await this.tiers.read(key.id, versionedKey(key, versions), load);
    if (found !== undefined && !(found instanceof CacheEntry)) return found as Cached<T>;
    return { value: found?.value as T, stamp: { names: key.deps, versions } };
  }

  /** The value if L1 holds it under versions known right now, else undefined: no load, no I/O. */
  peek<T>(key: CacheKey): T | undefined {
    const versions = this.enabled && !this.bypassed ? this.versions.peek(key.deps) : undefined;
    return versions === undefined ? undefined : (this.tiers.peek(key.id, versionedKey(key, versions))?.value as T);
  }

  /** True while every version of `stamp` is current as far as this instance can vouch (no I/O). */
  isCurrent(stamp: Stamp): boolean {
    return this.enabled && !this.bypassed && this.versions.isCurrent(stamp);
  }

  /**
   * Moves the named versions on, here and on every instance: what was cached under the old ones is
   * never read again. Awaited before a write answers; never throws (a miss is made up for later).
   */
  async bump(...names: string[]): Promise<void> {
    if (!this.enabled || names.length === 0) return;
    await this.publishBump(names).catch(() => {
      this.versions.forget();
      this.missedBump = true;
      this.recover();
    });
  }

  /**
   * Forgets everything this deployment has cached, here, in Redis and on every other instance: for
   * when data changed outside the API (a restore, a manual fix) and for tests that empty the database.
   */
  async clear(): Promise<void> {
    if (!this.enabled) return;
    this.tiers.clear();
    await this.l2.clearKeyspace();
    this.versions.forget();
    await this.bump(EPOCH);
  }

  status(): CacheStatus {
    const redis = !this.l2.configured ? 'disabled' : this.bypassed ? 'down' : 'up';
    const tiers = this.tiers.status(this.enabled && redis !== 'down');
    return { redis, redisBreaker: this.l2.state, confirmed: this.bus.confirmed, ...tiers };
  }

  onApplicationShutdown(): void {
    clearTimeout(this.recovery);
  }

  /** Redis is configured but unusable (breaker open, or a bump it missed not yet made up for). */
  private get bypassed(): boolean {
    return this.l2.configured && (this.missedBump || !this.l2.closed);
  }

  /**
   * After a bump Redis missed, this instance bypasses the tiers until the epoch has moved on (retiring
   * everything cached before, on every instance): tried when the breaker closes, then every 500 ms.
   */
  private recover(): void {
    clearTimeout(this.recovery);
    if (!this.missedBump || !this.l2.closed) return;
    this.publishBump([EPOCH]).then(
      () => {
        this.missedBump = false;
        this.logger.log('Redis back: the cache epoch moved on past the write(s) it missed');
      },
      () => (this.recovery = setTimeout(() => this.recover(), 500).unref()),
    );
  }

  private async publishBump(names: string[]): Promise<void> {
    const versions = await this.versions.bump(names);
    if (this.l2.configured) await this.l2.publish(this.bus.encode({ versions }));
  }

  private announceMode(enabled: boolean, redisConfigured: boolean): void {
    if (!enabled) this.logger.warn('Caching is OFF (CACHE_ENABLED=false): every read goes to the database');
    else if (!redisConfigured) {
      this.logger.warn(
        '*** No Redis configured: the cache is IN-PROCESS ONLY (L1). Instances neither share entries nor see ' +
          "each other's writes: run a single instance, or set REDIS_HOST / REDIS_URL. ***",
      );
    }
  }
}
