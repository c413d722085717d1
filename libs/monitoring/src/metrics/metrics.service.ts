import { DatabaseService } from '@app/database';
import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import {
  CACHE_STATUS_SOURCE,
  RESPONSE_TIER_SOURCE,
  type CacheStatusSource,
  type ResponseTierSource,
} from '../cache-status-source';
import { BackupStatusService } from '../backup/backup-status.service';
import { DatabaseProbeService } from '../database/database-probe.service';
import { registerBackupMetrics } from './backup-metrics.collector';
import { registerCacheMetrics } from './cache-metrics.collector';
import { registerPlatformMetrics } from './platform-metrics.collector';
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
    backups: BackupStatusService,
    @Optional() @Inject(CACHE_STATUS_SOURCE) cache?: CacheStatusSource,
    @Optional() @Inject(RESPONSE_TIER_SOURCE) responseTier?: ResponseTierSource,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.registerDatabaseGauges();
    registerBackupMetrics(this.registry, backups);
    registerPlatformMetrics(this.registry, probe);
    if (cache) registerCacheMetrics(this.registry, cache, responseTier);
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
}
