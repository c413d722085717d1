import { ConfigValidationError, loadConfig } from '@app/config';
import { Logger } from 'nestjs-pino';
import { createApp } from './http/create-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp();
  await app.listen({ port: config.port, host: '0.0.0.0' });
  app.get(Logger).log(`PrepNexus API listening on ${await app.getUrl()} (docs at /docs)`);
}

bootstrap().catch((err: unknown) => {
  // One clear line for an operator: config problems are listed, connection failures named.
  const message = err instanceof ConfigValidationError ? err.message : err instanceof Error ? err.stack : String(err);
  console.error(`PrepNexus API failed to start: ${message}`);
  process.exit(1);
});
