import { DatabaseService } from '@app/database';
import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { CACHE_STATUS_SOURCE, type CacheStatusSource } from '../cache-status-source';
import { DatabaseProbeService } from '../database/database-probe.service';
import { RequestDurationHistogram } from './request-duration.histogram';

const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Prometheus metrics in a registry owned by this app instance: several apps in one process (e2e
 * tests) never collide with "metric already registered", and nothing leaks into the global registry.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  private readonly registry = new Registry();
  private readonly requestDuration = new RequestDurationHistogram();

  constructor(
    private readonly database: DatabaseService,
    private readonly probe: DatabaseProbeService,
    @Optional() @Inject(CACHE_STATUS_SOURCE) private readonly cache?: CacheStatusSource,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.registerDatabaseGauges();
    if (this.cache) this.registerCacheGauges(this.cache);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** On every request: see RequestDurationHistogram for why it is not a prom-client Histogram. */
  observeRequest(method: string, route: string, statusCode: number, durationMs: number): void {
    this.requestDuration.observe(method, route, statusCode, durationMs / 1000);
  }

  async render(): Promise<string> {
    return `${await this.registry.metrics()}\n${this.requestDuration.render()}\n`;
  }

  onApplicationShutdown(): void {
    this.registry.clear();
    this.requestDuration.reset();
  }

  private registerDatabaseGauges(): void {
    const { database, probe } = this;
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by pool (primary, replica-N) and state (total, idle, waiting)',
      labelNames: ['pool', 'state'],
      registers: [this.registry],
      collect() {
        const pools = [
          ['primary', probe.primaryPool()] as const,
          ...probe.replicaPools().map((p, i) => [`replica-${i}`, p] as const),
        ];
        for (const [pool, stats] of pools) {
          if (!stats) continue;
          this.set({ pool, state: 'total' }, stats.total);
          this.set({ pool, state: 'idle' }, stats.idle);
          this.set({ pool, state: 'waiting' }, stats.waiting);
        }
      },
    });
    new Gauge({
      name: 'db_breaker_state',
      help: 'PostgreSQL circuit breaker: 0 closed, 1 half-open, 2 open',
      registers: [this.registry],
      collect() {
        this.set(BREAKER_STATE_VALUE[database.breakerState]);
      },
    });
    // Counters mirrored from the breaker's own counts at scrape time.
    new Counter({
      name: 'db_breaker_events_total',
      help: 'PostgreSQL breaker outcomes: failures, rejects (failed fast while open), successes',
      labelNames: ['event'],
      registers: [this.registry],
      collect() {
        const { failures, rejects, successes } = database.breakerStats;
        this.reset();
        this.inc({ event: 'failure' }, failures);
        this.inc({ event: 'reject' }, rejects);
        this.inc({ event: 'success' }, successes);
      },
    });
  }

  private registerCacheGauges(cache: CacheStatusSource): void {
    new Counter({
      name: 'cache_lookups_total',
      help: 'Cache lookups by tier (l1 in-process, l2 Redis) and result (hit, miss)',
      labelNames: ['tier', 'result'],
      registers: [this.registry],
      collect() {
        const { l1, l2 } = cache.status();
        this.reset();
        for (const [tier, stats] of [
          ['l1', l1],
          ['l2', l2],
        ] as const) {
          this.inc({ tier, result: 'hit' }, stats.hits);
          this.inc({ tier, result: 'miss' }, stats.misses);
        }
      },
    });
    new Gauge({
      name: 'cache_hit_ratio',
      help: 'Cache hit ratio since start by tier',
      labelNames: ['tier'],
      registers: [this.registry],
      collect() {
        const { l1, l2 } = cache.status();
        this.set({ tier: 'l1' }, l1.hitRatio);
        this.set({ tier: 'l2' }, l2.hitRatio);
      },
    });
    new Gauge({
      name: 'cache_redis_up',
      help: 'Redis as the cache sees it: 1 up, 0 down or disabled',
      registers: [this.registry],
      collect() {
        this.set(cache.status().redis === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'cache_l1_bytes',
      help: 'Bytes held by the in-process cache',
      registers: [this.registry],
      collect() {
        this.set(cache.status().l1.bytes);
      },
    });
  }
}
