import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MonitoringTokenGuard } from './auth/monitoring-token.guard';
import { BackupStatusService } from './backup/backup-status.service';
import {
  CACHE_STATUS_SOURCE,
  RESPONSE_TIER_SOURCE,
  type CacheStatusSource,
  type ResponseTierSource,
} from './cache-status-source';
import { DatabaseHealthService } from './database/database-health.service';
import { DatabaseProbeService } from './database/database-probe.service';
import { DatabaseHealthIndicator } from './health/database.health-indicator';
import { HealthChecksService } from './health/health-checks.service';
import { HealthController } from './health/health.controller';
import { LifecycleHealthIndicator } from './health/lifecycle.health-indicator';
import { RedisHealthIndicator } from './health/redis.health-indicator';
import { LifecycleStateService } from './lifecycle/lifecycle-state.service';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { MonitoringController } from './monitoring.controller';
import { EventLoopMonitor } from './performance/event-loop-monitor';
import { PerformanceService } from './performance/performance.service';
import { RequestStatsService } from './performance/request-stats.service';
import { RequestTimingHook } from './performance/request-timing.hook';

export interface MonitoringModuleOptions {
  /** Modules that export `cacheStatusSource` (unless it is global). */
  imports?: ModuleMetadata['imports'];
  /** The cache's status, for the Redis indicator, hit ratios and cache metrics (the caching lib's CacheService). */
  cacheStatusSource?: Type<CacheStatusSource>;
  /** The response tier's counts and size, for metrics and the performance report (the caching lib's ResponseCache). */
  responseTierSource?: Type<ResponseTierSource>;
}

/**
 * Health probes (/health/*), monitoring details (/api/monitoring/*), Prometheus (/metrics), request
 * timing and the shutdown sequence. Pass DatabaseModule and CachingModule (and the response tier's module) in `forRoot`'s imports.
 * Import it as is, or through `forRoot` to report the cache too.
 */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController, MonitoringController, MetricsController],
  providers: [
    LifecycleStateService,
    DatabaseProbeService,
    DatabaseHealthService,
    BackupStatusService,
    LifecycleHealthIndicator,
    DatabaseHealthIndicator,
    RedisHealthIndicator,
    HealthChecksService,
    RequestStatsService,
    EventLoopMonitor,
    PerformanceService,
    MetricsService,
    RequestTimingHook,
    MonitoringTokenGuard,
  ],
  exports: [LifecycleStateService],
})
export class MonitoringModule {
  static forRoot(options: MonitoringModuleOptions = {}): DynamicModule {
    const { imports = [], cacheStatusSource, responseTierSource } = options;
    return {
      module: MonitoringModule,
      imports,
      providers: [
        ...(cacheStatusSource ? [{ provide: CACHE_STATUS_SOURCE, useExisting: cacheStatusSource }] : []),
        ...(responseTierSource ? [{ provide: RESPONSE_TIER_SOURCE, useExisting: responseTierSource }] : []),
      ],
    };
  }
}
