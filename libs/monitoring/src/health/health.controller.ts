import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { MonitoringAuth } from '../auth/monitoring-auth.decorator';
import { HealthCheckFailureFilter } from './health-check-failure.filter';
import { HealthChecksService } from './health-checks.service';

/**
 * Kubernetes probes outside the /api prefix, Terminus format, 503 when not ok. The probes are open
 * with minimal bodies; `/health` has the details (hosts, pools, PID) and needs the monitoring token.
 */
@ApiTags('health')
@Controller('health')
@UseFilters(HealthCheckFailureFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: HealthChecksService,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers. Checks no dependency.' })
  checkLiveness(): HealthCheckResult {
    return this.checks.liveness();
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: booted, migrations applied, not shutting down',
    description:
      'Describes this pod only. A PostgreSQL or Redis outage keeps it 200: the pod still answers (503 with ' +
      'Retry-After for writes, stale copies for cached reads); `/health` reports the outage.',
  })
  checkReadiness(): Promise<HealthCheckResult> {
    return this.health.check(this.checks.readiness());
  }

  @Get('startup')
  @HealthCheck()
  @ApiOperation({ summary: "Startup: the process has booted (migrations are readiness's concern)" })
  checkStartup(): Promise<HealthCheckResult> {
    return this.health.check(this.checks.startup());
  }

  @Get()
  @HealthCheck()
  @MonitoringAuth()
  @ApiOperation({
    summary: 'Application health: every indicator with its details',
    description: 'PostgreSQL down is `error` (503); Redis or a replica down is `degraded` (200).',
  })
  checkHealth(): Promise<HealthCheckResult> {
    return this.health.check(this.checks.everything());
  }
}
