import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { HealthCheckFailureFilter } from './health-check-failure.filter';
import { HealthChecksService } from './health-checks.service';

/** Kubernetes probes, outside the /api prefix and open (no token): Terminus format, 503 when not ok. */
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
    summary: 'Readiness: PostgreSQL primary reachable, migrations applied, not shutting down',
    description: 'Redis down is reported as `degraded` and stays 200: requests are still served.',
  })
  checkReadiness(): Promise<HealthCheckResult> {
    return this.health.check(this.checks.readiness());
  }

  @Get('startup')
  @HealthCheck()
  @ApiOperation({ summary: 'Startup: booted with the schema migrated' })
  checkStartup(): Promise<HealthCheckResult> {
    return this.health.check(this.checks.startup());
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Application health: every indicator with its details' })
  checkHealth(): Promise<HealthCheckResult> {
    return this.health.check(this.checks.everything());
  }
}
