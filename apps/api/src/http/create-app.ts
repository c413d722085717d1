import { loadConfig } from '@app/config';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { configureApp } from './configure-app';
import { requestIdOf } from './request-id';

/** Builds the application exactly as production runs it; e2e tests call this too. */
export async function createApp(): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    trustProxy: config.trustProxy,
    return503OnClosing: true,
  });
  // abortOnError off: a failed boot reaches main.ts, which says in one line what failed.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await configureApp(app, config);
  return app;
}
