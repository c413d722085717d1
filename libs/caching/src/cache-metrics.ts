import type { CacheTierStats } from './cache-status';

/** Tiers a lookup can be answered from: whole responses, the in-process LRU, Redis. */
export type CacheTier = 'response' | 'l1' | 'l2';

/** Monotonic counts since start, read by monitoring when Prometheus scrapes (never pushed anywhere). */
export interface CacheCounts {
  /** Reads answered from a copy the database could no longer confirm (stale-if-error). */
  staleServes: number;
  /** Reads that skipped the cache tiers because Redis was unusable (breaker open, invalidations unreplayed). */
  redisBypasses: number;
}

/**
 * Hit/miss counts of one cache tier, plus the outage counters. Plain number fields: an increment on
 * the response tier's hot path (~20k req/s) must cost no more than `n++`, so there is no label
 * hashing here (prom-client's `inc()`); the monitoring lib copies these numbers into its registry on scrape.
 */
export class TierCounter {
  hits = 0;
  misses = 0;

  stats(): CacheTierStats {
    const lookups = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRatio: lookups === 0 ? 0 : this.hits / lookups };
  }
}

/** L1 and L2 lookups and the outage counters of one CacheService (one per application instance). */
export class CacheMetrics {
  readonly l1 = new TierCounter();
  readonly l2 = new TierCounter();
  private staleServes = 0;
  private redisBypasses = 0;

  hit(tier: 'l1' | 'l2'): void {
    this[tier].hits++;
  }

  miss(tier: 'l1' | 'l2'): void {
    this[tier].misses++;
  }

  staleServed(): void {
    this.staleServes++;
  }

  redisBypassed(): void {
    this.redisBypasses++;
  }

  stats(tier: 'l1' | 'l2'): CacheTierStats {
    return this[tier].stats();
  }

  counts(): CacheCounts {
    return { staleServes: this.staleServes, redisBypasses: this.redisBypasses };
  }
}
