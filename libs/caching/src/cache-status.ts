import type { BreakerState } from '@app/database';

/** What the cache reports about itself, for health checks, monitoring and metrics. */
export interface CacheTierStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0 when there were no lookups. */
  hitRatio: number;
}

export interface CacheStatus {
  /** `disabled`: no Redis configured (L1 only) or caching switched off. */
  redis: 'up' | 'down' | 'disabled';
  redisBreaker: BreakerState;
  l1: CacheTierStats & { entries: number; bytes: number; maxBytes: number; enabled: boolean };
  l2: CacheTierStats;
}
