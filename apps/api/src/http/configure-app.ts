import type { AppConfig } from '@app/config';
import { ResponseCache } from '@app/caching';
import { LifecycleStateService } from '@app/monitoring';
import fastifyCors from '@fastify/cors';
import { RequestMethod } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { closingGate } from './graceful-shutdown';
import { createJsonBodyParser } from './json-body.parser';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';
import { registerRequestLogging } from './request-logging';
import { API_SECURITY_HEADERS, DOCS_SECURITY_HEADERS } from './security-headers';
import { setupSwagger } from './swagger';

/** Everything about the HTTP surface that is not a route: prefix, CORS, headers, docs, raw errors. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // Errors Fastify raises itself (malformed JSON, body too large) reach AllExceptionsFilter through
  // Nest's exception layer, which Nest installs as Fastify's error handler.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, requestIdOf(request.raw));
    done();
  });
  registerRequestLogging(fastify, PinoLogger.root);

  // Empty means no body; too deep is refused before parsing (json-body.parser.ts).
  const fastifyJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser(
    'application/json',
    { bodyLimit: config.bodyLimitBytes },
    createJsonBodyParser((request, text, done) => void fastifyJson(request, text, done)),
  );

  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/{*probe}', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  // @fastify/cors registered as a plugin, not through `app.enableCors()`: Nest then also copies the CORS
  // headers onto the raw response (for middleware writing to it, which this app has none of), and once
  // the raw response holds a header Node sends every header of the reply through its slow path (app CPU
  // per cached read, alternated runs: 40-60 µs that way, 33-40 this way; the same headers either way).
  await app.register(fastifyCors, {
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'If-None-Match'],
    exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  // Registered as plugins so they run after the CORS plugin's hook, in this order.
  await app.register(
    hooksPlugin((instance) => {
      instance.addHook('onRequest', (request, reply, done) => {
        void reply.headers(request.url.startsWith('/docs') ? DOCS_SECURITY_HEADERS : API_SECURITY_HEADERS);
        done();
      });
      // While the server closes, every new request is refused here, before any work (graceful-shutdown.ts).
      instance.addHook('onRequest', closingGate(app.get(LifecycleStateService)));
      // Routes marked @ResponseCached() get the response tier's onRequest hook, after these: their
      // cached reads are answered there, before Nest's pipeline (see ResponseCache).
      instance.addHook('onRoute', app.get(ResponseCache).onRoute);
    }),
  );
  setupSwagger(app);
}

/** A plugin whose hooks apply to the whole app (not encapsulated), like fastify-plugin makes them. */
function hooksPlugin(register: (instance: FastifyInstance) => void) {
  const plugin = (instance: FastifyInstance, _options: unknown, done: (err?: Error) => void) => {
    register(instance);
    done();
  };
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true });
}
