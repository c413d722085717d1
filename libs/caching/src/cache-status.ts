import type { BreakerState } from '@app/database';

/** What the cache reports about itself, for health, monitoring and `/metrics`. */
export interface CacheTierStats {
  hits: number;
  misses: number;
  hitRatio: number;
}

export interface CacheStatus {
  /** `disabled`: no Redis configured (L1 only), or caching off. */
  redis: 'up' | 'down' | 'disabled';
  redisBreaker: BreakerState;
  /** The invalidation bus was heard within CACHE_UNCONFIRMED_MAX_MS: versions known here are trusted. */
  confirmed: boolean;
  l1: CacheTierStats & { entries: number; bytes: number; maxBytes: number; enabled: boolean };
  l2: CacheTierStats;
  /** Reads answered from a copy while the database was down. */
  staleServes: number;
  /** Reads that skipped the cache tiers because Redis was unusable. */
  redisBypasses: number;
}

export interface ResponseTierStatus extends CacheTierStats {
  entries: number;
  bytes: number;
}

/** Plain fields: the response tier counts ~20k req/s, too hot for prom-client's `inc()`; `/metrics` copies them. */
export class TierCounter {
  hits = 0;
  misses = 0;

  stats(): CacheTierStats {
    const lookups = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRatio: lookups === 0 ? 0 : this.hits / lookups };
  }
}
