import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { requestIdOf } from './request-id';

// Probes and scrapes every few seconds would drown the useful lines.
const QUIET = /^\/(?:health|metrics)(?:[/?]|$)/;

/**
 * One JSON line per request (request id, method, route, status, duration), written from Fastify's
 * `onResponse` hook with the app's pino logger. pino-http would do the same through a per-request
 * child logger, which halved the throughput of the cached read path here; this costs nothing when
 * the level is off. Server errors log at error, client errors at warn, the rest at info.
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
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
}
