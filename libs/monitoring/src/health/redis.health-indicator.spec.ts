import { HealthIndicatorService } from '@nestjs/terminus';
import type { CacheStatus } from '../cache-status-source';
import { RedisHealthIndicator } from './redis.health-indicator';

function status(redis: CacheStatus['redis'], redisBreaker: CacheStatus['redisBreaker'] = 'closed'): CacheStatus {
  return {
    redis,
    redisBreaker,
    confirmed: true,
    l1: { hits: 3, misses: 1, hitRatio: 0.75, entries: 2, bytes: 100, maxBytes: 1000, enabled: true },
    l2: { hits: 1, misses: 1, hitRatio: 0.5 },
    staleServes: 0,
    redisBypasses: 0,
  };
}

describe(RedisHealthIndicator.name, () => {
  describe('check', () => {
    it('should be up with the hit ratios while Redis answers', () => {
      const sut = new RedisHealthIndicator(new HealthIndicatorService(), { status: () => status('up') });

      expect(sut.check()).toEqual({
        redis: { status: 'up', state: 'up', breaker: 'closed', l1HitRatio: 0.75, l2HitRatio: 0.5 },
      });
    });

    it('should be degraded, not down, while Redis is unreachable', () => {
      const sut = new RedisHealthIndicator(new HealthIndicatorService(), { status: () => status('down', 'open') });

      expect(sut.check()).toEqual({
        redis: {
          status: 'degraded',
          state: 'down',
          breaker: 'open',
          l1HitRatio: 0.75,
          l2HitRatio: 0.5,
          message: 'Redis is unreachable: serving without the shared cache',
        },
      });
    });

    it('should be up when Redis is not configured', () => {
      const sut = new RedisHealthIndicator(new HealthIndicatorService(), { status: () => status('disabled') });

      expect(sut.check()).toEqual(expect.objectContaining({ redis: expect.objectContaining({ status: 'up' }) }));
    });

    it('should be degraded when the cache cannot report', () => {
      const failing = {
        status: (): CacheStatus => {
          throw new Error('boom');
        },
      };
      const sut = new RedisHealthIndicator(new HealthIndicatorService(), failing);

      expect(sut.check()).toEqual({ redis: { status: 'degraded', state: 'unknown', message: 'boom' } });
    });
  });

  describe('isMonitored', () => {
    it('should be false until a cache status source is bound', () => {
      expect(new RedisHealthIndicator(new HealthIndicatorService()).isMonitored).toBe(false);
      expect(new RedisHealthIndicator(new HealthIndicatorService(), { status: () => status('up') }).isMonitored).toBe(
        true,
      );
    });
  });
});
