import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MonitoringAuth } from './auth/monitoring-auth.decorator';
import { DatabaseHealthReportDto } from './database/database-health-report.dto';
import { DatabaseHealthService } from './database/database-health.service';
import { PerformanceReportDto } from './performance/performance-report.dto';
import { PerformanceService } from './performance/performance.service';

/** Monitoring details for operators, under /api; they need the monitoring token when one is set. */
@ApiTags('monitoring')
@MonitoringAuth()
@Controller('monitoring')
export class MonitoringController {
  constructor(
    private readonly database: DatabaseHealthService,
    private readonly performance: PerformanceService,
  ) {}

  @Get('database/health')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'PostgreSQL: latency, pool, replicas and their lag, breaker, pending migrations, last backup',
  })
  @ApiOkResponse({ type: DatabaseHealthReportDto, description: 'The primary answers' })
  @ApiServiceUnavailableResponse({ type: DatabaseHealthReportDto, description: 'The primary is down (same body)' })
  async getDatabaseHealth(@Res({ passthrough: true }) reply: FastifyReply): Promise<DatabaseHealthReportDto> {
    const report = await this.database.report();
    if (report.status === 'down') void reply.code(503);
    return report;
  }

  @Get('performance')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Per-route throughput, latency percentiles and error rate; cache hit ratios; event loop; memory',
  })
  @ApiOkResponse({ type: PerformanceReportDto })
  getPerformance(): PerformanceReportDto {
    return this.performance.report();
  }
}
