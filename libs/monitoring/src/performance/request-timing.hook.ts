import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from '../metrics/metrics.service';
import { UNMATCHED_ROUTE } from '../monitoring.constants';
import { RequestStatsService } from './request-stats.service';

/**
 * Times every request with one Fastify `onResponse` hook. A hook (unlike a Nest interceptor) also
 * sees 404s, guard rejections and body-parser errors. Fastify already measures the time
 * (`reply.elapsedTime`, from the start of the request), so the hot path adds two map lookups.
 */
@Injectable()
export class RequestTimingHook implements OnModuleInit {
  private readonly logger = new Logger(RequestTimingHook.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly stats: RequestStatsService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') {
      this.logger.warn('Request timing needs the Fastify adapter: per-route metrics are off');
      return;
    }
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      this.record(request, reply);
      done();
    });
  }

  private record(request: FastifyRequest, reply: FastifyReply): void {
    // The route template (`/api/articles/:slug`), never the URL: ids must not become labels.
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const durationMs = reply.elapsedTime;
    this.stats.record(request.method, route, reply.statusCode, durationMs);
    this.metrics.observeRequest(request.method, route, reply.statusCode, durationMs);
  }
}
