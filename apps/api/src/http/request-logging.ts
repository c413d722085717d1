import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { FailedRequestSummary } from './failed-request-summary';
import { requestIdOf } from './request-id';

// Probes and scrapes every few seconds would drown the useful lines.
const QUIET = /^\/(?:health|metrics)(?:[/?]|$)/;
// A dependency is unavailable (or the server is draining): counted, not logged one by one.
const UNAVAILABLE = 503;

/**
 * One JSON line per request (request id, method, route, status, duration), written from Fastify's
 * `onResponse` hook with the app's pino logger. pino-http would do the same through a per-request
 * child logger, which halved the throughput of the cached read path here; this costs nothing when
 * the level is off. Server errors log at error, client errors at warn, the rest at info; 503s go to
 * a FailedRequestSummary instead (warn, counts by route every 10 s), so an outage is a few lines.
 */
export function registerRequestLogging(
  fastify: FastifyInstance,
  logger: Logger,
  summary = new FailedRequestSummary(logger),
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    if (status === UNAVAILABLE) {
      if (logger.isLevelEnabled('warn') && !QUIET.test(request.url)) {
        summary.record(`${request.method} ${request.routeOptions.url ?? '(no route)'}`, status);
      }
      return done();
    }
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (logger.isLevelEnabled(level) && !QUIET.test(request.url)) {
      logger[level](
        {
          // Flat fields: pino's req/res serializers expect raw Node objects under those keys.
          reqId: requestIdOf(request.raw),
          method: request.method,
          url: request.url,
          route: request.routeOptions.url ?? null,
          statusCode: status,
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
  fastify.addHook('onClose', (_instance, done) => {
    summary.close();
    done();
  });
}
