import { Counter, register } from 'prom-client';
import type { CacheTierStats } from './cache-status';

export type CacheTier = 'l1' | 'l2';
type Tally = Record<CacheTier, { hits: number; misses: number }>;

function emptyTally(): Tally {
  return { l1: { hits: 0, misses: 0 }, l2: { hits: 0, misses: 0 } };
}

// Process-wide totals, copied into the counters when Prometheus scrapes: prom-client's inc() hashes
// and validates labels on every call, too slow for a path that answers in microseconds.
const processTally = emptyTally();

function counter(name: string, help: string, field: 'hits' | 'misses'): void {
  // Tests build several applications in one process: reuse a metric the default registry already has.
  if (register.getSingleMetric(name) !== undefined) return;
  new Counter({
    name,
    help,
    labelNames: ['tier'],
    collect(this: Counter<'tier'>) {
      this.reset();
      for (const tier of ['l1', 'l2'] as const) this.inc({ tier }, processTally[tier][field]);
    },
  });
}

/** Hit/miss counts per tier: Prometheus counters (process-wide) and this instance's own numbers. */
export class CacheMetrics {
  private readonly tally = emptyTally();

  constructor() {
    counter('pn_cache_hits_total', 'Cache lookups answered, by tier (l1: in-process, l2: Redis)', 'hits');
    counter('pn_cache_misses_total', 'Cache lookups not answered, by tier', 'misses');
  }

  hit(tier: CacheTier): void {
    this.tally[tier].hits++;
    processTally[tier].hits++;
  }

  miss(tier: CacheTier): void {
    this.tally[tier].misses++;
    processTally[tier].misses++;
  }

  stats(tier: CacheTier): CacheTierStats {
    const { hits, misses } = this.tally[tier];
    const lookups = hits + misses;
    return { hits, misses, hitRatio: lookups === 0 ? 0 : hits / lookups };
  }
}
