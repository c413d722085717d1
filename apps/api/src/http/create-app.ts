import { loadConfig } from '@app/config';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as NestLogger } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { configureApp } from './configure-app';
import { sendError } from './all-exceptions.filter';
import { API_SECURITY_HEADERS } from './security-headers';
import { requestIdOf } from './request-id';
import { trackOpenConnections } from './graceful-shutdown';

const frameworkLogger = new NestLogger('HttpError');

/** Builds the application exactly as production runs it; e2e tests call this too. */
export async function createApp(): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    // A hop count trusts that many proxies in front of us (the ingress), and no client-sent entries.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    // Off: a request arriving while the server closes gets the API's envelope 503 from closingGate
    // (graceful-shutdown.ts), not Fastify's own body without Retry-After.
    return503OnClosing: false,
    // Slugs are up to 209 characters (slug.ts); Fastify's default (100) would make long ones unreachable.
    // Under routerOptions: the top-level option is deprecated (FSTDEP022, a warning at every start).
    routerOptions: { maxParamLength: 512 },
    // Errors Fastify raises before routing (a malformed URL) get the same envelope, request id and
    // headers: no hook has run for them.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendError(error, request, reply.headers(API_SECURITY_HEADERS), frameworkLogger),
  });
  // abortOnError off: a failed boot reaches main.ts, which says in one line what failed.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await configureApp(app, config);
  trackOpenConnections(app);
  return app;
}
