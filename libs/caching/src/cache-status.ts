import type { CacheService } from './cache.service';
import type { ResponseCache } from './response.cache';

/** What the cache reports about itself, for health, monitoring and `/metrics`. */
export type CacheStatus = ReturnType<CacheService['status']>;
export type ResponseTierStatus = ReturnType<ResponseCache['status']>;
export type CacheTierStats = ReturnType<TierCounter['stats']>;

/** Plain fields: the response tier counts ~20k req/s, too hot for prom-client's `inc()`; `/metrics` copies them. */
export class TierCounter {
  hits = 0;
  misses = 0;

  stats() {
    const lookups = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRatio: lookups === 0 ? 0 : this.hits / lookups };
  }
}
