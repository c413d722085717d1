import type { AppConfig } from '@app/config';
import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { CacheEntry } from './cache-entry';
import { EPOCH, staleCopyKey, versionedKey, type CacheKey } from './cache-key';
import { RedisCacheStore } from './redis-cache.store';
import { TierCounter } from './tier-counter';
import { Versions, type Stamp } from './versions';

/** A value with the versions it was built under (none if it bypassed the cache), or a stale copy's load time. */
export interface Cached<T> {
  value: T;
  stamp?: Stamp;
  staleSince?: number;
}

export type CacheStatus = ReturnType<CacheService['status']>;
type Load = () => Promise<unknown>;
type Stale = Cached<unknown>;
type Read = CacheEntry | Stale | undefined;

const NO_REDIS_WARNING =
  '*** No Redis configured: the cache is IN-PROCESS ONLY (L1). Instances neither share entries nor see ' +
  "each other's writes: run a single instance, or set REDIS_HOST / REDIS_URL. ***";

/**
 * The cache the services use (DESIGN.md §6): JSON values under versioned keys, read through an in-process
 * LRU (L1) and Redis (L2), one load per key at a time; a write calls `bump` before it answers. Redis trouble
 * never fails a call. L1 keeps the newest copy of each value by identity, answering only the versioned key
 * it was built under; it and Redis's `staleCopyKey` copy answer while PostgreSQL is down (a load fails
 * with 503), for up to `CACHE_STALE_MAX_S`. Reads return frozen JSON round trips; throw to skip caching.
 */
@Injectable()
export class CacheService {
  private readonly logger = new Logger(CacheService.name);
  private readonly enabled: boolean;
  private readonly ttlMs: number;
  private readonly staleMaxMs: number;
  private readonly l1: LRUCache<string, { key: string; entry: CacheEntry }>;
  private readonly flights = new Map<string, Promise<Read>>();
  private readonly lookups = { l1: new TierCounter(), l2: new TierCounter() };
  private readonly outages = { staleServes: 0, redisBypasses: 0 };
  private lastStaleLog = 0;
  private staleServedAt = 0;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly l2: RedisCacheStore,
    private readonly versions: Versions,
  ) {
    const { enabled, ttlSeconds, staleMaxSeconds, l1MaxBytes } = config.get('cache', { infer: true });
    this.enabled = enabled;
    this.ttlMs = ttlSeconds * 1000;
    this.staleMaxMs = staleMaxSeconds * 1000;
    // Least recently used out first within CACHE_L1_MAX_MB (UTF-8 of key and JSON); a bigger one is not kept.
    this.l1 = new LRUCache({
      maxSize: Math.max(1, Math.floor(l1MaxBytes)),
      sizeCalculation: ({ key, entry }) => Buffer.byteLength(key) + Buffer.byteLength(entry.json),
    });
    if (!enabled) this.logger.warn('Caching is OFF (CACHE_ENABLED=false): every read goes to the database');
    else if (!l2.configured) this.logger.warn(NO_REDIS_WARNING);
  }

  async getOrLoad<T>(key: CacheKey, load: () => Promise<T>): Promise<T> {
    return (await this.fetch(key, load)).value;
  }

  async fetch<T>(key: CacheKey, load: () => Promise<T>): Promise<Cached<T>> {
    if (!this.enabled) return { value: await load() };
    const known = this.versions.usable ? (this.versions.peek(key.deps) ?? this.versions.read(key.deps)) : null;
    const versions = known === null || Array.isArray(known) ? known : await known.catch(() => null);
    if (versions === null) {
      this.outages.redisBypasses++;
      try {
        return { value: await load() };
      } catch (err: unknown) {
        return (await this.stale(err, key.id, this.l1.peek(key.id)?.entry, false)) as Cached<T>;
      }
    }
    const found = await this.read(key, versions, load);
    if (found !== undefined && !(found instanceof CacheEntry)) return found as Cached<T>;
    return { value: found?.value as T, stamp: { names: key.deps, versions } };
  }

  /** The value if L1 holds it under versions known right now: no load, no I/O. */
  peek<T>(key: CacheKey): T | undefined {
    const versions = this.enabled ? this.versions.peek(key.deps) : undefined;
    return versions === undefined ? undefined : (this.l1Hit(key.id, versionedKey(key, versions))?.value as T);
  }

  /** A stale copy answered within the last second: loads are failing (the database is down). */
  get servingStale(): boolean {
    return Date.now() - this.staleServedAt < 1000;
  }

  isCurrent(stamp: Stamp): boolean {
    return this.enabled && this.versions.isCurrent(stamp);
  }

  /** Moves the named versions on, everywhere. Awaited before a write answers; never throws. */
  async bump(...names: string[]): Promise<void> {
    if (this.enabled && names.length > 0) await this.versions.bump(names);
  }

  /** Forgets all this deployment cached, everywhere: after data changed outside the API, and in tests. */
  async clear(): Promise<void> {
    if (!this.enabled) return;
    this.l1.clear();
    await this.l2.clear();
    this.versions.forget();
    await this.bump(EPOCH);
  }

  status() {
    const redis: 'up' | 'down' | 'disabled' = !this.l2.configured ? 'disabled' : this.versions.usable ? 'up' : 'down';
    const { size: entries, calculatedSize: bytes, maxSize: maxBytes } = this.l1;
    const l1 = { ...this.lookups.l1.stats(), entries, bytes, maxBytes, enabled: this.enabled && redis !== 'down' };
    const l2 = this.lookups.l2.stats();
    return { redis, redisBreaker: this.l2.state, confirmed: this.versions.bus.confirmed, l1, l2, ...this.outages };
  }

  private l1Hit(id: string, key: string): CacheEntry | undefined {
    const copy = this.l1.get(id);
    if (copy === undefined || copy.key !== key || !copy.entry.isFresh()) return undefined;
    this.lookups.l1.hits++;
    return copy.entry;
  }

  private read(cacheKey: CacheKey, versions: number[], load: Load): CacheEntry | Promise<Read> {
    const key = versionedKey(cacheKey, versions);
    const hit = this.l1Hit(cacheKey.id, key);
    if (hit !== undefined) return hit;
    this.lookups.l1.misses++;
    // L1 keeps one copy per id: a fill a bump outdated while it loaded must not replace a newer one.
    const keep = (entry: CacheEntry) => {
      const now = this.versions.peek(cacheKey.deps);
      if (!now?.some((version, i) => version !== versions[i])) this.l1.set(cacheKey.id, { key, entry });
    };
    const flight =
      this.flights.get(key) ?? this.fill(cacheKey.id, key, load, keep).finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return flight;
  }

  private async fill(id: string, key: string, load: Load, keep: (entry: CacheEntry) => void): Promise<Read> {
    let newest = this.l1.peek(id)?.entry;
    // After a failed read, writing would most likely fail too (and wait out another timeout).
    let useL2 = this.l2.configured;
    if (useL2) {
      const found = await this.l2.get(key).catch(() => void (useL2 = false));
      if (found?.isFresh()) {
        this.lookups.l2.hits++;
        keep(found);
        return found;
      }
      this.lookups.l2.misses++;
      newest = newer(newest, found);
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(await load());
    } catch (err: unknown) {
      return this.stale(err, id, newest, useL2);
    }
    if (json === undefined) return undefined;
    const entry = new CacheEntry(json, Date.now() + this.ttlMs);
    keep(entry);
    if (useL2) {
      const copy = this.staleMaxMs > 0 ? this.l2.set(staleCopyKey(id), entry, this.staleMaxMs) : undefined;
      // Failures are counted by the breaker; the value is served all the same.
      await Promise.all([this.l2.set(key, entry, this.ttlMs), copy]).catch(() => undefined);
    }
    return entry;
  }

  private async stale(err: unknown, id: string, newest: CacheEntry | undefined, inL2: boolean): Promise<Stale> {
    if (!(err instanceof HttpException) || err.getStatus() !== (HttpStatus.SERVICE_UNAVAILABLE as number)) throw err;
    if (inL2 && this.staleMaxMs > 0) newest = newer(newest, await this.l2.get(staleCopyKey(id)).catch(() => undefined));
    const now = Date.now();
    if (newest === undefined || now - newest.storedAt > this.staleMaxMs) throw err;
    if (now - this.lastStaleLog >= 10_000) {
      this.lastStaleLog = now;
      this.logger.warn(`Database unavailable: serving stale cached copies (e.g. ${id})`);
    }
    this.outages.staleServes++;
    this.staleServedAt = now;
    return { value: newest.value, staleSince: newest.storedAt };
  }
}

function newer(a: CacheEntry | undefined, b: CacheEntry | undefined): CacheEntry | undefined {
  return b !== undefined && (a === undefined || b.storedAt > a.storedAt) ? b : a;
}
