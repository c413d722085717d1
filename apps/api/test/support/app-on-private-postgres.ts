import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PrivatePostgres } from '../../../../test-support/private-postgres';

export interface AppOnPrivatePostgres {
  pg: PrivatePostgres;
  app: NestFastifyApplication;
}

/**
 * The production app (createApp) on a private, migrated PostgreSQL cluster of its own, for tests that
 * stop the database: the machine's shared server is never stopped, and the cache keyspace is the app's own.
 * `env` adds settings. Config is read when the app module is first imported, so the
 * environment is set before the dynamic imports below.
 */
export async function startAppOnPrivatePostgres(env: Record<string, string> = {}): Promise<AppOnPrivatePostgres> {
  const pg = await PrivatePostgres.create();
  Object.assign(process.env, {
    DB_HOST: '127.0.0.1',
    DB_PORT: String(pg.port),
    DB_USER: 'postgres',
    DB_PASSWORD: 'trust-auth-ignores-it',
    DB_NAME: 'postgres',
    // Its own: the keyspace defaults to DB_NAME, the same 'postgres' in every run, and the shared Redis
    // keeps a run's stale copies for CACHE_STALE_MAX_S: the next run's outage would be answered from them.
    CACHE_KEYSPACE: `private-pg-${pg.port}-${randomUUID().slice(0, 8)}`,
    ...env,
  });
  delete process.env.DB_REPLICA_HOSTS;
  delete process.env.MONITORING_TOKEN;
  // The app first: importing @app/database on its own trips an import cycle (database → seed → users → database).
  const { createApp } = await import('../../src/http/create-app');
  const { loadConfig } = await import('@app/config');
  const { buildDataSourceOptions } = await import('@app/database');
  const migrator = new DataSource(buildDataSourceOptions(loadConfig().db));
  await migrator.initialize();
  await migrator.runMigrations({ transaction: 'each' });
  await migrator.destroy();

  const app = await createApp();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { pg, app };
}

/** Closes the app, then always removes its cluster (either may be missing if start-up failed). */
export async function stopAppOnPrivatePostgres(app?: NestFastifyApplication, pg?: PrivatePostgres): Promise<void> {
  try {
    await app?.close();
  } finally {
    await pg?.destroy();
  }
}
