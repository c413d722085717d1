import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { CACHE_STATUS_SOURCE, type CacheStatusSource } from '../cache-status-source';
import { describeFailure } from '../with-timeout';

/**
 * Redis as the cache reports it. Redis down is `degraded`, never `down`: requests are still served
 * (from PostgreSQL), so it must not fail readiness and take every pod out of service at once.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(CACHE_STATUS_SOURCE) private readonly cache?: CacheStatusSource,
  ) {}

  /** False until the application binds the cache's status (then the indicator is left out). */
  get isMonitored(): boolean {
    return this.cache !== undefined;
  }

  check(key = 'redis'): HealthIndicatorResult {
    const check = this.indicators.check(key);
    if (!this.cache) return check.up({ state: 'not monitored' });
    try {
      const { redis, redisBreaker, l1, l2 } = this.cache.status();
      const data = { state: redis, breaker: redisBreaker, l1HitRatio: l1.hitRatio, l2HitRatio: l2.hitRatio };
      return redis === 'down'
        ? check.degraded({ ...data, message: 'Redis is unreachable: serving without the shared cache' })
        : check.up(data);
    } catch (err: unknown) {
      return check.degraded({ state: 'unknown', message: describeFailure(err) });
    }
  }
}
