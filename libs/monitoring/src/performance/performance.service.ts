import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  CACHE_STATUS_SOURCE,
  RESPONSE_TIER_SOURCE,
  type CacheStatusSource,
  type ResponseTierSource,
} from '../cache-status-source';
import { ROUTE_SAMPLE_WINDOW } from '../monitoring.constants';
import { EventLoopMonitor } from './event-loop-monitor';
import type { CachePerformanceDto, PerformanceReportDto } from './performance-report.dto';
import { RequestStatsService } from './request-stats.service';

/** Builds /api/monitoring/performance: what the process does and how fast, right now. */
@Injectable()
export class PerformanceService {
  constructor(
    private readonly requests: RequestStatsService,
    private readonly eventLoop: EventLoopMonitor,
    @Optional() @Inject(CACHE_STATUS_SOURCE) private readonly cache?: CacheStatusSource,
    @Optional() @Inject(RESPONSE_TIER_SOURCE) private readonly responseTier?: ResponseTierSource,
  ) {}

  report(): PerformanceReportDto {
    const uptimeSeconds = process.uptime();
    const memory = process.memoryUsage();
    return {
      uptimeSeconds: Math.round(uptimeSeconds),
      startedAt: new Date(Date.now() - uptimeSeconds * 1000).toISOString(),
      windowSize: ROUTE_SAMPLE_WINDOW,
      routes: this.requests.snapshot(),
      ...(this.cache && { cache: this.cacheReport(this.cache) }),
      eventLoopDelay: this.eventLoop.delay(),
      memory: {
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
      },
    };
  }

  private cacheReport(cache: CacheStatusSource): CachePerformanceDto {
    const { redis, l1, l2 } = cache.status();
    const tier = ({ hits, misses, hitRatio }: { hits: number; misses: number; hitRatio: number }) => ({
      hits,
      misses,
      hitRatio,
    });
    const response = this.responseTier?.status();
    return { redis, ...(response && { response: tier(response) }), l1: tier(l1), l2: tier(l2) };
  }
}
