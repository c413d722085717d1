import { loadConfig, type AppConfig } from '@app/config';
import { Logger } from 'nestjs-pino';
import { createApp } from './http/create-app';
import { describeStartupError } from './startup-error';

let config: AppConfig | null = null;

async function bootstrap(): Promise<void> {
  config = loadConfig();
  const app = await createApp();
  await app.listen({ port: config.port, host: '0.0.0.0' });
  app.get(Logger).log(`PrepNexus API listening on ${await app.getUrl()} (docs at /docs)`);
}

bootstrap().catch((err: unknown) => {
  console.error(`PrepNexus API failed to start: ${describeStartupError(err, config)}`);
  process.exit(1);
});
