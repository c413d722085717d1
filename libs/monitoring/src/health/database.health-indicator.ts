import { DatabaseService } from '@app/database';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DatabaseHealthService } from '../database/database-health.service';
import { DatabaseProbeService } from '../database/database-probe.service';
import { DATABASE_PING_TIMEOUT_MS } from '../monitoring.constants';
import { round3 } from '../round';
import { describeFailure } from '../with-timeout';

/** PostgreSQL as the probes see it: primary reachable, schema migrated, replicas answering. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly probe: DatabaseProbeService,
    private readonly database: DatabaseService,
    private readonly reports: DatabaseHealthService,
  ) {}

  /**
   * Pings the primary directly with a short timeout, so an outage shows at once and so does recovery.
   * The ping is the breaker's own (DatabaseService.pingPrimary): an answer closes the breaker, so
   * "up" here means requests are let through too. The breaker is read after the ping, for the same reason.
   */
  async primary(key = 'database'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    try {
      const latencyMs = await this.database.pingPrimary(DATABASE_PING_TIMEOUT_MS);
      return check.up({ latencyMs: round3(latencyMs), breaker: this.database.breakerState });
    } catch (err: unknown) {
      return check.down({ message: describeFailure(err), breaker: this.database.breakerState });
    }
  }

  /** A build whose migrations have not run must not take traffic: its queries would hit a stale schema. */
  async migrations(key = 'migrations'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    try {
      const pending = await this.probe.pendingMigrations(DATABASE_PING_TIMEOUT_MS);
      return pending.length === 0 ? check.up({ pending }) : check.down({ pending });
    } catch (err: unknown) {
      return check.down({ message: describeFailure(err) });
    }
  }

  /**
   * The readiness form of `migrations`: no names, hosts or driver messages on an open route. Once
   * this process has seen every migration applied it asks no more (DatabaseProbeService remembers),
   * so a later PostgreSQL outage does not make the pod unready.
   */
  async migrationsApplied(key = 'migrations'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    try {
      const pending = await this.probe.pendingMigrations(DATABASE_PING_TIMEOUT_MS);
      return pending.length === 0 ? check.up() : check.down({ message: `${pending.length} pending` });
    } catch {
      return check.down({ message: 'not confirmed yet: the database did not answer' });
    }
  }

  /** Replicas serve reads: one down degrades the service, but the primary still answers everything. */
  async replicas(key = 'replicas'): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    const replicas = await this.reports.replicas();
    return replicas.every((replica) => replica.status === 'up') ? check.up({ replicas }) : check.degraded({ replicas });
  }

  get hasReplicas(): boolean {
    return this.probe.replicaCount() > 0;
  }
}
