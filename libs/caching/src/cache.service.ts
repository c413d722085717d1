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

/** A value with the versions it was built under (none if it bypassed the cache), or a stale copy's load time. */
export interface Cached<T> {
  value: T;
  stamp?: Stamp;
  staleSince?: number;
}

/**
 * The cache the services use (DESIGN.md §6): values under versioned keys (cache-key.ts), read through
 * an in-process LRU (L1) and Redis (L2). A write calls `bump` with the versions of what it changed
 * before it answers; other instances hear them on the bus. Redis trouble never fails a call (reads go
 * to `load()`); while the database is down, a read is answered from the newest copy of its value.
 *
 * Values must be JSON: a read returns the JSON round trip of what `load()` returned, frozen.
 * `undefined` is never cached; throw to skip caching.
 */
@Injectable()
export class CacheService implements OnApplicationShutdown {
  private readonly logger = new Logger(CacheService.name);
  private readonly enabled: boolean;
  private readonly tiers: ReadThrough;
  private readonly versions: Versions;
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
    bus.on('message', ({ versions }) => this.versions.learn(versions));
    // Messages may have been missed while the bus was unconfirmed.
    bus.on('confirmed', () => this.versions.forget());
    l2.on('up', () => this.recover());
    l2.on('down', () => this.versions.forget());
    if (!cache.enabled) this.logger.warn('Caching is OFF (CACHE_ENABLED=false): every read goes to the database');
    else if (!l2.configured) {
      this.logger.warn(
        '*** No Redis configured: the cache is IN-PROCESS ONLY (L1). Instances neither share entries nor see ' +
          "each other's writes: run a single instance, or set REDIS_HOST / REDIS_URL. ***",
      );
    }
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

  /** Moves the named versions on, here and everywhere. Awaited before a write answers; never throws. */
  async bump(...names: string[]): Promise<void> {
    if (!this.enabled || names.length === 0) return;
    await this.publishBump(names).catch(() => {
      this.versions.forget();
      this.missedBump = true;
      this.recover();
    });
  }

  /** Forgets all this deployment cached, on every instance: after data changed outside the API, and in tests. */
  async clear(): Promise<void> {
    if (!this.enabled) return;
    this.tiers.clear();
    await this.l2.clear();
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

  /** Moves the epoch on past a missed bump, retiring all cached before: once Redis is back, then every 500 ms. */
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
}
