import { Injectable } from '@nestjs/common';
import type { HealthCheckResult, HealthIndicatorFunction } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health-indicator';
import { LifecycleHealthIndicator } from './lifecycle.health-indicator';
import { RedisHealthIndicator } from './redis.health-indicator';

/** Which indicators each probe runs (DESIGN.md §7). */
@Injectable()
export class HealthChecksService {
  constructor(
    private readonly lifecycle: LifecycleHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /**
   * Liveness is answered here, not by HealthCheckService: Terminus marks every check `shutting_down`
   * (503) once shutdown begins, and a draining pod is still alive. It checks no dependency, so a
   * database outage never makes Kubernetes restart every pod.
   */
  liveness(): HealthCheckResult {
    const process = this.lifecycle.process();
    return { status: 'ok', info: process, error: {}, details: process };
  }

  /** Take traffic only with a reachable, migrated primary and while not shutting down; Redis is reported. */
  readiness(): HealthIndicatorFunction[] {
    return [
      () => this.lifecycle.acceptingTraffic(),
      () => this.database.primary(),
      () => this.database.migrations(),
      ...this.redisCheck(),
    ];
  }

  /** Booted with its schema migrated; after that, liveness takes over. */
  startup(): HealthIndicatorFunction[] {
    return [() => this.lifecycle.booted(), () => this.database.migrations()];
  }

  /** Everything, with details, for operators. */
  everything(): HealthIndicatorFunction[] {
    return [
      () => this.lifecycle.process(),
      () => this.lifecycle.acceptingTraffic(),
      () => this.database.primary(),
      () => this.database.migrations(),
      ...(this.database.hasReplicas ? [() => this.database.replicas()] : []),
      ...this.redisCheck(),
    ];
  }

  private redisCheck(): HealthIndicatorFunction[] {
    return this.redis.isMonitored ? [() => this.redis.check()] : [];
  }
}
