import type { AppConfig } from '@app/config';
import helmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';
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

  // RealWorld clients send `Content-Type: application/json` with no body on favorite/follow/delete:
  // an empty JSON body means "no body" rather than a 400.
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes }, (request, body, done) => {
    if (body.length === 0) done(null, undefined);
    else void json(request as FastifyRequest, body.toString('utf8'), done);
  });

  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/{*probe}', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableCors({
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'If-None-Match'],
    exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  await app.register(helmet, {
    // Swagger UI runs inline scripts and styles; everything else is JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  app.enableShutdownHooks();
  setupSwagger(app);
}
