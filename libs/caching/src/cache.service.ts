import type { AppConfig } from '@app/config';
import { HttpException, HttpStatus, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ByteLruCache } from './byte-lru.cache';
import { CacheEntry } from './cache-entry';
import { CacheInvalidationBus, type InvalidationMessage } from './cache-invalidation.bus';
import { CacheMetrics } from './cache-metrics';
import type { CacheStatus } from './cache-status';
import { CacheTiers } from './cache-tiers';
import { RecentWrites } from './recent-writes';
import { RedisCacheStore } from './redis-cache.store';
import { staleCopyKey } from './cache-keys';
import { StaleCopies } from './stale-copies';

export interface GetOrLoadOptions {
  /** How long the value is fresh; defaults to `CACHE_TTL_S`. */
  ttlSeconds?: number;
  /**
   * What the value is, whatever versions its key was built under (e.g. a list page without the
   * list version): its newest copy answers while the database is down. Defaults to the key.
   */
  staleAs?: string;
}

/** A cached value, and when it was loaded if it is a stale copy served because the database is down. */
export interface Cached<T> {
  value: T;
  staleSince?: number;
}
const RACE_WINDOW_MS = 5000;
const STALE_LOG_INTERVAL_MS = 10_000;

interface Flight {
  promise: Promise<CacheEntry | undefined>;
  /** Set when the key is invalidated (or the tiers reset) while loading: the result is not stored. */
  invalidated: boolean;
}

/**
 * The cache the services use (DESIGN.md §6): an in-process LRU (L1) in front of Redis (L2), single
 * flight per key, invalidation by key or by namespace version, reaching every instance through
 * pub/sub. Redis trouble never fails a call: while Redis is unusable every read goes to `load()`
 * (L1 too is off, since invalidations cannot reach it), and invalidations wait to be replayed.
 *
 * Values must be JSON: a read returns the JSON round trip of what `load()` returned, frozen (copy it
 * before adding per-viewer fields). `undefined` is never cached; throw to skip caching.
 */
@Injectable()
export class CacheService implements OnApplicationShutdown {
  private readonly logger = new Logger(CacheService.name);
  private readonly enabled: boolean;
  private readonly ttlMs: number;
  private readonly l1: ByteLruCache;
  private readonly tiers: CacheTiers;
  private readonly metrics = new CacheMetrics();
  private readonly flights = new Map<string, Flight>();
  private readonly versions = new Map<string, number>();
  private readonly versionReads = new Map<string, Promise<number>>();
  private readonly recentWrites = new RecentWrites(RACE_WINDOW_MS);
  private readonly staleCopies: StaleCopies;
  private readonly staleMaxMs: number;
  /** Bumped whenever local state is reset, so version reads started before cannot store into it. */
  private epoch = 0;
  private changes = 0;
  private unusedVersions = 0;
  private lastStaleLog = 0;
  /** Entries handed out as stale copies (so `fetch` can say so); weak, so they go with their entry. */
  private readonly servedStale = new WeakSet<CacheEntry>();

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly l2: RedisCacheStore,
    private readonly bus: CacheInvalidationBus,
  ) {
    const cache = config.get('cache', { infer: true });
    this.enabled = cache.enabled;
    this.ttlMs = cache.ttlSeconds * 1000;
    this.l1 = new ByteLruCache(cache.l1MaxBytes);
    this.staleMaxMs = cache.staleMaxSeconds * 1000;
    // A quarter of L1's budget: the copies mostly share their text with L1's entries.
    this.staleCopies = new StaleCopies(cache.l1MaxBytes / 4, this.staleMaxMs);
    this.tiers = new CacheTiers(cache.enabled, l2, bus, () => this.resetLocal());
    bus.onMessage((message) => this.applyRemote(message));
    this.announceMode();
  }

  /** The cached value for `key`, or `load()`'s result, stored (one load per key at a time on this instance). */
  async getOrLoad<T>(key: string, load: () => Promise<T>, options?: GetOrLoadOptions): Promise<T> {
    return (await this.fetch(key, load, options)).value;
  }

  /** Like `getOrLoad`, and says when the value is a stale copy (the database is down: see `staleAs`). */
  async fetch<T>(key: string, load: () => Promise<T>, options?: GetOrLoadOptions): Promise<Cached<T>> {
    if (!this.enabled) return { value: await load() };
    if (this.skipsTiers()) return this.loadOrStale(key, load, options);
    const entry = await this.lookup(key, load, options);
    const value = (entry === undefined ? undefined : entry.value) as T;
    return entry !== undefined && this.servedStale.has(entry) ? { value, staleSince: entry.storedAt } : { value };
  }

  /** Removes keys here at once, from Redis, and from every other instance's L1 (awaited: call it before responding). */
  async invalidate(...keys: string[]): Promise<void> {
    this.changes++;
    try {
      if (!this.enabled || keys.length === 0) return;
      this.dropLocal(keys);
      if (!this.l2.configured) return;
      if (!this.tiers.l2Up) return this.tiers.missed(keys);
      await this.l2.delete(keys);
      await this.l2.publish(this.bus.encode({ keys }));
    } catch {
      this.tiers.missed(keys);
    } finally {
      // Again once done: a read that started while Redis was being told must not be kept whole either.
      this.changes++;
    }
  }

  /** The current version of a key family (e.g. every article list page), to build its keys with. */
  async namespaceVersion(namespace: string): Promise<number> {
    if (!this.enabled) return 0;
    const known = this.versions.get(namespace);
    if (!this.l2.configured) return known ?? 0;
    // Only a subscribed instance can trust a remembered version: it hears about every bump.
    if (known !== undefined && this.tiers.l1On) return known;
    if (!this.tiers.l2Up) return this.unusedVersion();
    let read = this.versionReads.get(namespace);
    if (read === undefined) {
      read = this.readVersion(namespace).finally(() => this.versionReads.delete(namespace));
      this.versionReads.set(namespace, read);
    }
    return read;
  }

  /** Makes every key built with the namespaces' current versions unreachable, on every instance. */
  async bumpNamespace(...namespaces: string[]): Promise<void> {
    this.changes++;
    try {
      if (!this.enabled || namespaces.length === 0) return;
      if (!this.l2.configured) {
        for (const namespace of namespaces) this.versions.set(namespace, (this.versions.get(namespace) ?? 0) + 1);
        return;
      }
      for (const namespace of namespaces) this.versions.delete(namespace);
      if (!this.tiers.l2Up) return this.tiers.missed([], namespaces);
      const bumped = await this.l2.bumpVersions(namespaces);
      const versions = Object.fromEntries(namespaces.map((namespace, i) => [namespace, bumped[i]]));
      this.learnVersions(versions);
      await this.l2.publish(this.bus.encode({ versions }));
    } catch {
      this.tiers.missed([], namespaces);
    } finally {
      // Again once the new version is known: a read that used the old one meanwhile must not be kept whole.
      this.changes++;
    }
  }

  /**
   * Drops everything this deployment has cached, here, in Redis and on every other instance. For when
   * data changed outside the API (a restore, a manual fix) and for tests that empty the database.
   */
  async clear(): Promise<void> {
    if (!this.enabled) return;
    this.resetLocal();
    if (!this.l2.configured) return;
    await this.l2.clearKeyspace();
    await this.l2.publish(this.bus.encode({ reset: true }));
  }

  /**
   * Changes whenever anything cached may have changed: every invalidation, namespace bump and reset,
   * local or from another instance. In-process copies of whole responses are valid only while it stays put.
   */
  get generation(): number {
    return this.changes;
  }

  /** True while the in-process tier may answer (false with caching off, or while Redis is bypassed). */
  get localTierActive(): boolean {
    return this.enabled && this.tiers.l1On;
  }

  /**
   * The value for `key` if the in-process tier holds it fresh right now, else `undefined`: never a
   * load, never Redis. For synchronous fast paths (ResponseCache) that fall back to the full path.
   */
  peek<T>(key: string): T | undefined {
    if (!this.localTierActive) return undefined;
    const hit = this.l1.get(key);
    if (hit === undefined) return undefined;
    this.metrics.hit('l1');
    return hit.value as T;
  }

  status(): CacheStatus {
    return {
      redis: !this.l2.configured ? 'disabled' : this.tiers.l2Up ? 'up' : 'down',
      redisBreaker: this.l2.state,
      l1: {
        ...this.metrics.stats('l1'),
        entries: this.l1.size,
        bytes: this.l1.bytes,
        maxBytes: this.l1.maxBytes,
        enabled: this.tiers.l1On,
      },
      l2: this.metrics.stats('l2'),
      ...this.metrics.counts(),
    };
  }

  onApplicationShutdown(): void {
    this.tiers.shutdown();
  }

  /** True when a read must go straight to `load()`: caching off, or Redis unusable (counted as a bypass). */
  private skipsTiers(): boolean {
    if (!this.enabled) return true;
    if (!this.tiers.bypassed) return false;
    this.metrics.redisBypassed();
    return true;
  }

  private lookup(
    key: string,
    load: () => Promise<unknown>,
    options: GetOrLoadOptions | undefined,
  ): CacheEntry | Promise<CacheEntry | undefined> {
    if (this.tiers.l1On) {
      const hit = this.l1.get(key);
      if (hit !== undefined) {
        this.metrics.hit('l1');
        return hit;
      }
      this.metrics.miss('l1');
    }
    const running = this.flights.get(key);
    if (running !== undefined) return running.promise;
    const ttlMs = options?.ttlSeconds === undefined ? this.ttlMs : options.ttlSeconds * 1000;
    const flight: Flight = { promise: Promise.resolve(undefined), invalidated: false };
    flight.promise = this.fill(key, options?.staleAs ?? key, load, ttlMs, flight).finally(() => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    });
    this.flights.set(key, flight);
    return flight.promise;
  }

  private async fill(
    key: string,
    identity: string,
    load: () => Promise<unknown>,
    ttlMs: number,
    flight: Flight,
  ): Promise<CacheEntry | undefined> {
    let stale = this.tiers.l1On ? this.l1.peek(key) : undefined;
    // After a failed read, writing would most likely fail too (and wait out another timeout).
    let useL2 = this.tiers.l2Up;
    if (useL2) {
      const found = await this.l2.get(key).catch(() => {
        useL2 = false;
        return undefined;
      });
      if (found?.isFresh()) {
        this.metrics.hit('l2');
        if (!flight.invalidated && this.tiers.l1On) this.l1.set(key, found);
        return found;
      }
      this.metrics.miss('l2');
      if (found !== undefined && (stale === undefined || found.freshUntil > stale.freshUntil)) stale = found;
    }
    let value: unknown;
    try {
      value = await load();
    } catch (err: unknown) {
      const newest = await this.staleInsteadOf(err, key, stale, identity, useL2);
      this.servedStale.add(newest);
      return newest;
    }
    const json = toJson(value);
    if (json === undefined) return undefined;
    const entry = new CacheEntry(json, Date.now() + ttlMs);
    if (!flight.invalidated) await this.store(key, identity, entry, ttlMs, useL2);
    return entry;
  }

  private async store(key: string, identity: string, entry: CacheEntry, ttlMs: number, useL2: boolean) {
    if (this.tiers.l1On) this.l1.set(key, entry);
    this.staleCopies.remember(identity, entry);
    if (!useL2 || !this.tiers.l2Up) return;
    try {
      await Promise.all([
        this.l2.set(key, entry, ttlMs),
        this.staleMaxMs > 0 ? this.l2.set(staleCopyKey(identity), entry, this.staleMaxMs) : undefined,
      ]);
      this.recentWrites.note(key);
    } catch {
      // Counted by the breaker; the value is served all the same.
    }
  }

  /** The newest copy of `identity` loaded within CACHE_STALE_MAX_S: here, under its key, or in Redis. */
  private async newestCopy(
    expired: CacheEntry | undefined,
    identity: string,
    useL2: boolean,
  ): Promise<CacheEntry | undefined> {
    const now = Date.now();
    const candidates = [expired, this.staleCopies.newest(identity, now)];
    if (useL2 && this.tiers.l2Up && this.staleMaxMs > 0) {
      candidates.push(await this.l2.get(staleCopyKey(identity)).catch(() => undefined));
    }
    let newest: CacheEntry | undefined;
    for (const copy of candidates) {
      if (copy === undefined || now - copy.storedAt > this.staleMaxMs) continue;
      if (newest === undefined || copy.storedAt > newest.storedAt) newest = copy;
    }
    return newest;
  }

  /** Redis bypassed (or down): the database answers, or else the newest copy this process holds. */
  private async loadOrStale<T>(key: string, load: () => Promise<T>, options?: GetOrLoadOptions): Promise<Cached<T>> {
    try {
      return { value: await load() };
    } catch (err: unknown) {
      const newest = await this.staleInsteadOf(err, key, undefined, options?.staleAs ?? key, false);
      return { value: newest.value as T, staleSince: newest.storedAt };
    }
  }

  /**
   * The newest copy to answer with when `load()` failed because the database is down; rethrows `err`
   * for any other failure, or when no copy is young enough.
   */
  private async staleInsteadOf(
    err: unknown,
    key: string,
    expired: CacheEntry | undefined,
    identity: string,
    useL2: boolean,
  ): Promise<CacheEntry> {
    if (!isDependencyDown(err)) throw err;
    const newest = await this.newestCopy(expired, identity, useL2);
    if (newest === undefined) throw err;
    this.metrics.staleServed();
    this.reportStale(key);
    // A stale answer must not outlive the outage as a whole response (ResponseCache).
    this.changes++;
    return newest;
  }

  private async readVersion(namespace: string): Promise<number> {
    const epoch = this.epoch;
    try {
      const version = await this.l2.readVersion(namespace);
      if (this.tiers.l1On && epoch === this.epoch) this.learnVersions({ [namespace]: version });
      return Math.max(this.versions.get(namespace) ?? version, version);
    } catch {
      return this.unusedVersion();
    }
  }

  /** Versions only move forward: a read that started before a bump must not undo it. */
  private learnVersions(versions: Record<string, number>): void {
    for (const [namespace, version] of Object.entries(versions)) {
      this.versions.set(namespace, Math.max(this.versions.get(namespace) ?? version, version));
    }
  }

  /** For when Redis cannot say: a version no key was ever built with, so nothing stale can be read. */
  private unusedVersion(): number {
    return -(Date.now() * 1000 + (++this.unusedVersions % 1000));
  }

  private dropLocal(keys: readonly string[]): void {
    for (const key of keys) {
      this.l1.delete(key);
      const flight = this.flights.get(key);
      if (flight !== undefined) flight.invalidated = true;
    }
  }

  private applyRemote(message: InvalidationMessage): void {
    this.changes++;
    if (message.reset) {
      this.resetLocal();
      return;
    }
    if (message.keys !== undefined) {
      this.dropLocal(message.keys);
      const raced = this.recentWrites.take(message.keys);
      if (raced.length > 0) void this.l2.delete(raced).catch(() => this.tiers.missed(raced));
    }
    if (message.versions !== undefined && this.tiers.l1On) this.learnVersions(message.versions);
  }

  /** Empties L1 and remembered versions; loads in flight will not store what they read. */
  private resetLocal(): void {
    this.changes++;
    this.epoch++;
    this.l1.clear();
    this.staleCopies.clear();
    this.versions.clear();
    this.recentWrites.clear();
    for (const flight of this.flights.values()) flight.invalidated = true;
  }

  private reportStale(key: string): void {
    const now = Date.now();
    if (now - this.lastStaleLog < STALE_LOG_INTERVAL_MS) return;
    this.lastStaleLog = now;
    this.logger.warn(`Database unavailable: serving stale cached copies (e.g. ${key})`);
  }

  private announceMode(): void {
    if (!this.enabled) this.logger.warn('Caching is OFF (CACHE_ENABLED=false): every read goes to the database');
    else if (!this.l2.configured) {
      this.logger.warn(
        '*** No Redis configured: the cache is IN-PROCESS ONLY (L1). Instances neither share entries nor see ' +
          "each other's invalidations: run a single instance, or set REDIS_HOST / REDIS_URL. ***",
      );
    }
  }
}

const SERVICE_UNAVAILABLE: number = HttpStatus.SERVICE_UNAVAILABLE;

/** A database (or other dependency) outage, e.g. `DatabaseUnavailableException`: the one failure a stale copy may answer. */
function isDependencyDown(err: unknown): boolean {
  return err instanceof HttpException && err.getStatus() === SERVICE_UNAVAILABLE;
}

/** `undefined` for values JSON cannot represent (`undefined`, functions): those are not cached. */
function toJson(value: unknown): string | undefined {
  const json: string | undefined = JSON.stringify(value);
  return json;
}
