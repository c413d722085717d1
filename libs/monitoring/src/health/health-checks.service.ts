import { Injectable } from '@nestjs/common';
import type { HealthCheckResult, HealthIndicatorFunction } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health-indicator';
import { LifecycleHealthIndicator } from './lifecycle.health-indicator';
import { RedisHealthIndicator } from './redis.health-indicator';

/**
 * Which indicators each probe runs (DESIGN.md §7). The probes describe this pod only: an outage of
 * a dependency every pod shares (PostgreSQL, Redis) must not make every pod unready at once, which
 * would empty the Service and replace the app's 503 + Retry-After and stale reads with the
 * ingress's errors. Such outages show on `/health` (and in the alerts) instead.
 */
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
    const process = this.lifecycle.alive();
    return { status: 'ok', info: process, error: {}, details: process };
  }

  /**
   * Take traffic once booted, with this build's migrations seen applied, and until draining starts.
   * No dependency is pinged: after the first confirmation the migrations check asks nothing either.
   */
  readiness(): HealthIndicatorFunction[] {
    return [
      () => this.lifecycle.acceptingTraffic(),
      () => this.lifecycle.booted(),
      () => this.database.migrationsApplied(),
    ];
  }

  /**
   * Booted: the process has initialised and listens. It does not wait for migrations (the migration
   * Job runs before a rollout; readiness holds traffic back until they are applied), so a slow
   * migration never makes Kubernetes restart a pod that started fine.
   */
  startup(): HealthIndicatorFunction[] {
    return [() => this.lifecycle.booted()];
  }

  /** Everything, with details, for operators (behind the monitoring token). */
  everything(): HealthIndicatorFunction[] {
    return [
      () => this.lifecycle.process(),
      () => this.lifecycle.acceptingTraffic(),
      () => this.database.primary(),
      () => this.database.migrations(),
      ...(this.database.hasReplicas ? [() => this.database.replicas()] : []),
      ...(this.redis.isMonitored ? [() => this.redis.check()] : []),
    ];
  }
}
