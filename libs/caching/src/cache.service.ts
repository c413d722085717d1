import type { AppConfig } from '@app/config';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ByteLruCache } from './byte-lru.cache';
import { EPOCH, versionedKey, type CacheKey } from './cache-key';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import { CacheMetrics } from './cache-metrics';
import type { CacheStatus } from './cache-status';
import { MissedBumps } from './missed-bumps';
import { ReadThrough } from './read-through';
import { RedisCacheStore } from './redis-cache.store';
import type { Stamp } from './stamp';
import { StaleCopies } from './stale-copies';
import { Versions } from './versions';

/** A cached value, with what it was built under, or when it was loaded if it is a stale copy. */
export interface Cached<T> {
  value: T;
  /** The versions it was built under; none when it bypassed the cache or is a stale copy. */
  stamp?: Stamp;
  /** Set for a stale copy served because the database is down: when it was loaded (epoch ms). */
  staleSince?: number;
}

/**
 * The cache the services use (DESIGN.md §6): versioned keys (cache-key.ts) over an in-process LRU (L1)
 * and Redis (L2), one load per key at a time. A write calls `bump` with the versions of what it changed
 * before it answers; other instances hear the new versions on the bus. Redis trouble never fails a
 * call: reads go to `load()` while Redis is unusable (MissedBumps). While the database is down, a read
 * is answered from the newest copy of its value (StaleCopies).
 *
 * Values must be JSON: a read returns the JSON round trip of what `load()` returned, frozen.
 * `undefined` is never cached; throw to skip caching.
 */
@Injectable()
export class CacheService implements OnApplicationShutdown {
  private readonly enabled: boolean;
  private readonly ttlMs: number;
  private readonly l1: ByteLruCache;
  private readonly staleCopies: StaleCopies;
  private readonly versions: Versions;
  private readonly missed: MissedBumps;
  private readonly metrics = new CacheMetrics();
  private readonly tiers: ReadThrough;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly l2: RedisCacheStore,
    private readonly bus: CacheInvalidationBus,
  ) {
    const cache = config.get('cache', { infer: true });
    this.enabled = cache.enabled;
    this.ttlMs = cache.ttlSeconds * 1000;
    this.l1 = new ByteLruCache(cache.l1MaxBytes);
    // A quarter of L1's budget: the copies mostly share their text with L1's entries.
    this.staleCopies = new StaleCopies(cache.l1MaxBytes / 4, cache.staleMaxSeconds * 1000, l2);
    this.tiers = new ReadThrough(this.l1, l2, this.staleCopies, this.metrics, this.ttlMs);
    this.versions = new Versions(l2.configured ? l2 : null, () => bus.confirmed);
    this.missed = new MissedBumps(
      () => l2.closed,
      () => this.publishBump([EPOCH]),
    );
    bus.onMessage(({ versions }) => this.versions.learn(versions));
    bus.onReadyChange(() => this.versions.forget());
    l2.onStateChange((up) => (up ? this.missed.retry() : this.versions.forget()));
    announceMode(cache.enabled, l2.configured);
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
    if (versions === null) return this.loadOrStale(key, load);
    const entry = await this.tiers.read(versionedKey(key, versions), key.id, load);
    const value = entry?.value as T;
    if (entry !== undefined && this.tiers.servedStale(entry)) return { value, staleSince: entry.storedAt };
    return { value, stamp: { names: key.deps, versions } };
  }

  /** The value if L1 holds it under versions known right now, else undefined: no load, no I/O. */
  peek<T>(key: CacheKey): T | undefined {
    const versions = this.enabled && !this.bypassed ? this.versions.peek(key.deps) : undefined;
    const hit = versions === undefined ? undefined : this.l1.get(versionedKey(key, versions));
    if (hit === undefined) return undefined;
    this.metrics.hit('l1');
    return hit.value as T;
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
      this.missed.noteMissed();
    });
  }

  /**
   * Forgets everything this deployment has cached, here, in Redis and on every other instance: for
   * when data changed outside the API (a restore, a manual fix) and for tests that empty the database.
   */
  async clear(): Promise<void> {
    if (!this.enabled) return;
    this.l1.clear();
    this.staleCopies.clear();
    if (this.l2.configured) await this.l2.clearKeyspace();
    this.versions.forget();
    await this.bump(EPOCH);
  }

  status(): CacheStatus {
    const redis = !this.l2.configured ? 'disabled' : this.bypassed ? 'down' : 'up';
    const l1 = { entries: this.l1.size, bytes: this.l1.bytes, maxBytes: this.l1.maxBytes };
    return {
      redis,
      redisBreaker: this.l2.state,
      confirmed: this.bus.confirmed,
      l1: { ...this.metrics.stats('l1'), ...l1, enabled: this.enabled && redis !== 'down' },
      l2: this.metrics.stats('l2'),
      ...this.metrics.counts(),
    };
  }

  onApplicationShutdown(): void {
    this.missed.stop();
  }

  /** Redis is configured but unusable (breaker open, or a bump it missed not yet made up for). */
  private get bypassed(): boolean {
    return this.l2.configured && (this.missed.pending || !this.l2.closed);
  }

  private async publishBump(names: string[]): Promise<void> {
    const versions = await this.versions.bump(names);
    if (this.l2.configured) await this.l2.publish(this.bus.encode({ versions }));
  }

  /** Redis unusable: the database answers, or else the newest copy this process holds. */
  private async loadOrStale<T>(key: CacheKey, load: () => Promise<T>): Promise<Cached<T>> {
    this.metrics.redisBypassed();
    try {
      return { value: await load() };
    } catch (err: unknown) {
      const newest = await this.staleCopies.answer(err, key.id, undefined, false);
      this.metrics.staleServed();
      return { value: newest.value as T, staleSince: newest.storedAt };
    }
  }
}

function announceMode(enabled: boolean, redisConfigured: boolean): void {
  const logger = new Logger(CacheService.name);
  if (!enabled) logger.warn('Caching is OFF (CACHE_ENABLED=false): every read goes to the database');
  else if (!redisConfigured) {
    logger.warn(
      '*** No Redis configured: the cache is IN-PROCESS ONLY (L1). Instances neither share entries nor see ' +
        "each other's writes: run a single instance, or set REDIS_HOST / REDIS_URL. ***",
    );
  }
}
