import type { BreakerState } from '@app/database';
import type { CacheCounts } from './cache-metrics';

/** What the cache reports about itself, for health checks, monitoring and metrics. */
export interface CacheTierStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0 when there were no lookups. */
  hitRatio: number;
}

export interface CacheStatus extends CacheCounts {
  /** `disabled`: no Redis configured (L1 only) or caching switched off. */
  redis: 'up' | 'down' | 'disabled';
  redisBreaker: BreakerState;
  /** The invalidation bus was heard within CACHE_UNCONFIRMED_MAX_MS: versions known here are trusted. */
  confirmed: boolean;
  l1: CacheTierStats & { entries: number; bytes: number; maxBytes: number; enabled: boolean };
  l2: CacheTierStats;
}

/** The response tier (whole responses answered before Nest's pipeline), as ResponseCache reports it. */
export interface ResponseTierStatus extends CacheTierStats {
  entries: number;
  bytes: number;
}
