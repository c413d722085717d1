import type { CacheStatus, ResponseTierStatus } from '@app/caching';
import { Registry } from 'prom-client';
import { registerCacheMetrics } from './cache-metrics.collector';

function cacheStatus(overrides: Partial<CacheStatus> = {}): CacheStatus {
  return {
    redis: 'up',
    redisBreaker: 'closed',
    confirmed: true,
    l1: { hits: 5, misses: 2, hitRatio: 5 / 7, entries: 3, bytes: 300, maxBytes: 1000, enabled: true },
    l2: { hits: 1, misses: 1, hitRatio: 0.5 },
    staleServes: 4,
    redisBypasses: 6,
    ...overrides,
  };
}

const responseTier: ResponseTierStatus = { hits: 7, misses: 8, hitRatio: 7 / 15, entries: 2, bytes: 120 };

describe(registerCacheMetrics.name, () => {
  let registry: Registry;

  beforeEach(() => {
    registry = new Registry();
  });

  it('should expose hits and misses per tier, stale serves, bypasses, entries and bytes', async () => {
    registerCacheMetrics(registry, { status: () => cacheStatus() }, { status: () => responseTier });

    const text = await registry.metrics();

    for (const line of [
      'pn_cache_hits_total{tier="response"} 7',
      'pn_cache_hits_total{tier="l1"} 5',
      'pn_cache_hits_total{tier="l2"} 1',
      'pn_cache_misses_total{tier="response"} 8',
      'pn_cache_misses_total{tier="l1"} 2',
      'pn_cache_misses_total{tier="l2"} 1',
      'pn_cache_stale_serves_total 4',
      'pn_cache_redis_bypasses_total 6',
      'pn_cache_redis_breaker_state 0',
      'pn_cache_entries{tier="response"} 2',
      'pn_cache_entries{tier="l1"} 3',
      'pn_cache_bytes{tier="response"} 120',
      'pn_cache_bytes{tier="l1"} 300',
      'pn_cache_redis_up 1',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).not.toMatch(/pn_cache_(entries|bytes)\{tier="l2"\}/);
  });

  it('should read the numbers again on every scrape (counters mirror the totals, never add them up)', async () => {
    let status = cacheStatus();
    registerCacheMetrics(registry, { status: () => status }, undefined);
    await registry.metrics();
    status = cacheStatus({ redis: 'down', l2: { hits: 9, misses: 1, hitRatio: 0.9 } });

    const text = await registry.metrics();

    expect(text.split('\n')).toEqual(
      expect.arrayContaining(['pn_cache_hits_total{tier="l2"} 9', 'pn_cache_redis_up 0']),
    );
  });

  it('should leave the response tier out when it is not bound', async () => {
    registerCacheMetrics(registry, { status: () => cacheStatus() }, undefined);

    await expect(registry.metrics()).resolves.not.toContain('tier="response"');
  });
});
