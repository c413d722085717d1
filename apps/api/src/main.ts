import { loadConfig, type AppConfig } from '@app/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { createApp } from './http/create-app';
import { shutDownGracefully } from './http/graceful-shutdown';
import { describeStartupError } from './startup-error';

let config: AppConfig | null = null;

async function bootstrap(): Promise<void> {
  config = loadConfig();
  const app = await createApp();
  exitAfterShutdownOn(['SIGTERM', 'SIGINT'], app);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  app.get(Logger).log(`PrepNexus API listening on ${await app.getUrl()} (docs at /docs)`);
}

/**
 * Exit 0 after a clean shutdown (Nest's enableShutdownHooks re-raises the signal: 143 even when all went
 * well), 1 if closing failed. `once`: a second signal gets Node's default, an immediate stop.
 */
function exitAfterShutdownOn(signals: NodeJS.Signals[], app: NestFastifyApplication): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    shutDownGracefully(app, signal).then(
      () => {
        app.get(Logger).log(`${signal}: shut down cleanly`);
        process.exit(0);
      },
      (err: unknown) => {
        app.get(Logger).error({ err }, `${signal}: shutdown failed`);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.once(signal, onSignal);
}

bootstrap().catch((err: unknown) => {
  console.error(`PrepNexus API failed to start: ${describeStartupError(err, config)}`);
  process.exit(1);
});
