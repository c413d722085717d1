import { Counter, Gauge, type Registry } from 'prom-client';
import type { CacheStatusSource, ResponseTierSource } from '../cache-status-source';

const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

interface TierNumbers {
  hits: number;
  misses: number;
  entries?: number;
  bytes?: number;
}

/**
 * Registers the `pn_cache_*` metrics in `registry`. The cache only counts (plain `n++` on its hot
 * paths); these metrics copy its numbers when Prometheus scrapes, through `collect()` callbacks, so
 * no request pays for prom-client's label hashing. Counters are reset and re-added on each scrape:
 * the totals live in the cache. A status read costs a few property reads, so each metric takes its own.
 */
export function registerCacheMetrics(
  registry: Registry,
  cache: CacheStatusSource,
  responseTier: ResponseTierSource | undefined,
): void {
  const registers = [registry];
  const tiers = (): [string, TierNumbers][] => {
    const { l1, l2 } = cache.status();
    const tiers: [string, TierNumbers][] = [
      ['l1', l1],
      ['l2', { hits: l2.hits, misses: l2.misses }],
    ];
    if (responseTier) tiers.unshift(['response', responseTier.status()]);
    return tiers;
  };

  const lookups = (name: string, help: string, field: 'hits' | 'misses') =>
    new Counter({
      name,
      help,
      labelNames: ['tier'],
      registers,
      collect() {
        this.reset();
        for (const [tier, numbers] of tiers()) this.inc({ tier }, numbers[field]);
      },
    });
  lookups(
    'pn_cache_hits_total',
    'Cache lookups answered, by tier (response: whole responses, l1: in-process, l2: Redis)',
    'hits',
  );
  lookups('pn_cache_misses_total', 'Cache lookups not answered, by tier', 'misses');

  const outages = (name: string, help: string, field: 'staleServes' | 'redisBypasses') =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(cache.status()[field]);
      },
    });
  outages('pn_cache_stale_serves_total', 'Reads answered from a stale copy while the database was down', 'staleServes');
  outages('pn_cache_redis_bypasses_total', 'Reads that skipped the cache because Redis was unusable', 'redisBypasses');

  const sizes = (name: string, help: string, field: 'entries' | 'bytes') =>
    new Gauge({
      name,
      help,
      labelNames: ['tier'],
      registers,
      collect() {
        for (const [tier, numbers] of tiers()) {
          const value = numbers[field];
          if (value !== undefined) this.set({ tier }, value);
        }
      },
    });
  sizes('pn_cache_entries', 'Entries held in process, by tier (response, l1)', 'entries');
  sizes('pn_cache_bytes', 'Bytes held in process, by tier (response, l1)', 'bytes');

  new Gauge({
    name: 'pn_cache_redis_breaker_state',
    help: 'Redis circuit breaker: 0 closed, 1 half-open, 2 open',
    registers,
    collect() {
      this.set(BREAKER_STATE_VALUE[cache.status().redisBreaker]);
    },
  });
  new Gauge({
    name: 'pn_cache_redis_up',
    help: 'Redis as the cache sees it: 1 up, 0 down or disabled',
    registers,
    collect() {
      this.set(cache.status().redis === 'up' ? 1 : 0);
    },
  });
}
