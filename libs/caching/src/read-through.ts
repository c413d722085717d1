import type { ByteLruCache } from './byte-lru.cache';
import { CacheEntry } from './cache-entry';
import type { CacheMetrics } from './cache-metrics';
import type { RedisCacheStore } from './redis-cache.store';
import type { StaleCopies } from './stale-copies';

/**
 * One read of a versioned key through the tiers: L1, else one load per key at a time on this instance
 * (single flight) that tries L2, then `load()`, and stores what it got in both (and as the value's
 * newest stale copy). When `load()` fails because the database is down, the newest copy answers.
 */
export class ReadThrough {
  private readonly flights = new Map<string, Promise<CacheEntry | undefined>>();
  /** Entries handed out as stale copies (so callers can say so); weak, so they go with their entry. */
  private readonly stale = new WeakSet<CacheEntry>();

  constructor(
    private readonly l1: ByteLruCache,
    private readonly l2: RedisCacheStore,
    private readonly staleCopies: StaleCopies,
    private readonly metrics: CacheMetrics,
    private readonly ttlMs: number,
  ) {}

  servedStale(entry: CacheEntry): boolean {
    return this.stale.has(entry);
  }

  read(key: string, id: string, load: () => Promise<unknown>): CacheEntry | Promise<CacheEntry | undefined> {
    const hit = this.l1.get(key);
    if (hit !== undefined) {
      this.metrics.hit('l1');
      return hit;
    }
    this.metrics.miss('l1');
    let flight = this.flights.get(key);
    if (flight === undefined) {
      flight = this.fill(key, id, load).finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    return flight;
  }

  private async fill(key: string, id: string, load: () => Promise<unknown>): Promise<CacheEntry | undefined> {
    let expired = this.l1.peek(key);
    // After a failed read, writing would most likely fail too (and wait out another timeout).
    let useL2 = this.l2.configured;
    if (useL2) {
      const found = await this.l2.get(key).catch(() => void (useL2 = false));
      if (found?.isFresh()) {
        this.metrics.hit('l2');
        this.l1.set(key, found);
        return found;
      }
      this.metrics.miss('l2');
      if (found !== undefined && (expired === undefined || found.storedAt > expired.storedAt)) expired = found;
    }
    let value: unknown;
    try {
      value = await load();
    } catch (err: unknown) {
      const newest = await this.staleCopies.answer(err, id, expired, useL2);
      this.metrics.staleServed();
      this.stale.add(newest);
      return newest;
    }
    const json: string | undefined = JSON.stringify(value);
    if (json === undefined) return undefined;
    const entry = new CacheEntry(json, Date.now() + this.ttlMs);
    this.l1.set(key, entry);
    // Failures are counted by the breaker; the value is served all the same.
    const stored = useL2 ? this.l2.set(key, entry, this.ttlMs) : undefined;
    await Promise.all([stored, this.staleCopies.remember(id, entry, useL2)]).catch(() => undefined);
    return entry;
  }
}
