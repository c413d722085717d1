import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MonitoringAuth } from '../auth/monitoring-auth.decorator';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint, outside the /api prefix; needs the monitoring token when one is set. */
@ApiTags('monitoring')
@MonitoringAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'Prometheus text format 0.0.4' })
  async getMetrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await this.metrics.render();
    void reply.type(this.metrics.contentType);
    return body;
  }
}
