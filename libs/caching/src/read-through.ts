import type { AppConfig } from '@app/config';
import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CacheEntry } from './cache-entry';
import { staleCopyKey } from './cache-key';
import { TierCounter, type CacheStatus } from './cache-status';
import type { RedisCacheStore } from './redis-cache.store';

/** A copy answered because the database is down, and when it was loaded (epoch ms). */
export type StaleCopy = { value: unknown; staleSince: number };
type Load = () => Promise<unknown>;
type Read = CacheEntry | StaleCopy | undefined;

/**
 * One read of a versioned key through the tiers: L1, else one load per key at a time on this instance
 * (single flight) that tries L2, then `load()`, and stores what it got in both.
 *
 * L1 keeps the newest copy of each value by identity (`CacheKey.id`), tagged with the versioned key it
 * answers (while fresh). That copy, and the one Redis keeps under `staleCopyKey`, outlive the writes
 * that moved the versions on: while PostgreSQL is down (a load fails with 503), the newest of them
 * answers, for up to `CACHE_STALE_MAX_S`.
 */
export class ReadThrough {
  private readonly logger = new Logger('CacheService');
  private readonly l1: LRUCache<string, { key: string; entry: CacheEntry }>;
  private readonly flights = new Map<string, Promise<Read>>();
  private readonly ttlMs: number;
  private readonly staleMaxMs: number;
  private readonly l1Lookups = new TierCounter();
  private readonly l2Lookups = new TierCounter();
  private readonly outages = { staleServes: 0, redisBypasses: 0 };
  private lastStaleLog = 0;

  constructor(
    { l1MaxBytes, ttlSeconds, staleMaxSeconds }: AppConfig['cache'],
    private readonly l2: RedisCacheStore,
  ) {
    // Least recently used out first, within CACHE_L1_MAX_MB of UTF-8 (key and JSON); a bigger one is not kept.
    this.l1 = new LRUCache({
      maxSize: Math.max(1, Math.floor(l1MaxBytes)),
      sizeCalculation: ({ key, entry }) => Buffer.byteLength(key) + Buffer.byteLength(entry.json),
    });
    this.ttlMs = ttlSeconds * 1000;
    this.staleMaxMs = staleMaxSeconds * 1000;
  }

  /** The entry if L1 holds it fresh under `key` (no load, no I/O). */
  peek(id: string, key: string): CacheEntry | undefined {
    const copy = this.l1.get(id);
    if (copy === undefined || copy.key !== key || !copy.entry.isFresh()) return undefined;
    this.l1Lookups.hits++;
    return copy.entry;
  }

  read(id: string, key: string, load: Load): CacheEntry | Promise<Read> {
    const hit = this.peek(id, key);
    if (hit !== undefined) return hit;
    this.l1Lookups.misses++;
    let flight = this.flights.get(key);
    if (flight === undefined) {
      flight = this.fill(id, key, load).finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    return flight;
  }

  /** Redis unusable: the database answers, or else the newest copy this process holds. */
  async bypass(id: string, load: Load): Promise<{ value: unknown } | StaleCopy> {
    this.outages.redisBypasses++;
    try {
      return { value: await load() };
    } catch (err: unknown) {
      return this.stale(err, id, this.l1.peek(id)?.entry, false);
    }
  }

  clear(): void {
    this.l1.clear();
  }

  status(l1Enabled: boolean): Pick<CacheStatus, 'l1' | 'l2' | 'staleServes' | 'redisBypasses'> {
    const l1 = { entries: this.l1.size, bytes: this.l1.calculatedSize, maxBytes: this.l1.maxSize, enabled: l1Enabled };
    return { l1: { ...this.l1Lookups.stats(), ...l1 }, l2: this.l2Lookups.stats(), ...this.outages };
  }

  private async fill(id: string, key: string, load: Load): Promise<Read> {
    let newest = this.l1.peek(id)?.entry;
    // After a failed read, writing would most likely fail too (and wait out another timeout).
    let useL2 = this.l2.configured;
    if (useL2) {
      const found = await this.l2.get(key).catch(() => void (useL2 = false));
      if (found?.isFresh()) {
        this.l2Lookups.hits++;
        this.l1.set(id, { key, entry: found });
        return found;
      }
      this.l2Lookups.misses++;
      newest = newer(newest, found);
    }
    let value: unknown;
    try {
      value = await load();
    } catch (err: unknown) {
      return this.stale(err, id, newest, useL2);
    }
    const json: string | undefined = JSON.stringify(value);
    if (json === undefined) return undefined;
    const entry = new CacheEntry(json, Date.now() + this.ttlMs);
    this.l1.set(id, { key, entry });
    if (useL2) {
      const copy = this.staleMaxMs > 0 ? this.l2.set(staleCopyKey(id), entry, this.staleMaxMs) : undefined;
      // Failures are counted by the breaker; the value is served all the same.
      await Promise.all([this.l2.set(key, entry, this.ttlMs), copy]).catch(() => undefined);
    }
    return entry;
  }

  /** For a 503 (the database is down), the newest copy young enough; otherwise `err` is rethrown. */
  private async stale(err: unknown, id: string, newest: CacheEntry | undefined, inL2: boolean): Promise<StaleCopy> {
    if (!(err instanceof HttpException) || err.getStatus() !== (HttpStatus.SERVICE_UNAVAILABLE as number)) throw err;
    if (inL2 && this.staleMaxMs > 0) newest = newer(newest, await this.l2.get(staleCopyKey(id)).catch(() => undefined));
    const now = Date.now();
    if (newest === undefined || now - newest.storedAt > this.staleMaxMs) throw err;
    if (now - this.lastStaleLog >= 10_000) {
      this.lastStaleLog = now;
      this.logger.warn(`Database unavailable: serving stale cached copies (e.g. ${id})`);
    }
    this.outages.staleServes++;
    return { value: newest.value, staleSince: newest.storedAt };
  }
}

function newer(a: CacheEntry | undefined, b: CacheEntry | undefined): CacheEntry | undefined {
  return b !== undefined && (a === undefined || b.storedAt > a.storedAt) ? b : a;
}
