import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { PrivatePostgres } from '../../../test-support/private-postgres';
import { startApp, type RunningApp } from '../../../scripts/lib/app-process.mjs';

const MIGRATIONS = [
  'InitialSchema1764000000000',
  'ArticleTotals1764000000001',
  'ArticleTagList1764000000002',
  'ArticleTotalsAtCommit1764000000003',
];

/**
 * The schema at boot against a configured server whose database is empty: development applies the
 * migrations (and says which), production applies none, says so loudly and stays unready. Empty
 * databases come from a private cluster, so nothing here touches the shared server's databases.
 */
describe('Schema on boot', () => {
  let pg: PrivatePostgres;
  let app: RunningApp | undefined;
  let inProcess: NestFastifyApplication | undefined;

  const server = (database: string) => ({
    DB_HOST: '127.0.0.1',
    DB_PORT: String(pg.port),
    DB_USER: 'postgres',
    DB_PASSWORD: 'trust-auth-ignores-it',
    DB_NAME: database,
    CACHE_KEYSPACE: `schema-on-boot-${database}-${process.pid}`,
  });

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    const admin = new Client({ host: '127.0.0.1', port: pg.port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    for (const database of ['development_boot', 'production_boot']) await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  }, 60_000);

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await inProcess?.close();
    inProcess = undefined;
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('should apply pending migrations at boot in development, log them, and serve /api/articles', async () => {
    const env = { ...server('development_boot'), NODE_ENV: 'development', LOG_LEVEL: 'info' };
    app = await startApp(env, { output: 'capture' });

    const res = await fetch(`${app.baseUrl}/api/articles`);
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({ articles: [], articlesCount: 0 });
    expect(app.output()).toContain(
      `Schema: applied ${MIGRATIONS.length} migration(s) at boot: ${MIGRATIONS.join(', ')}`,
    );
    await app.stop();

    // A second instance (or a restart) finds nothing to do.
    app = await startApp(env, { output: 'capture' });
    expect(app.output()).toContain('Schema: up to date, no pending migrations');
  }, 120_000);

  it('should never migrate on boot in production: log the pending migrations loudly and stay unready', async () => {
    // Config is read when the app module is first imported: set it before the dynamic import below.
    Object.assign(process.env, {
      ...server('production_boot'),
      NODE_ENV: 'production',
      REDIS_HOST: '127.0.0.1',
      JWT_SECRET: 'Zx8-Qw3_Lm9!Rt5#Yp2$Kd7%Hb4^Nc6&Vf',
      CORS_ORIGINS: 'https://app.example.com',
      MONITORING_TOKEN: 'schema-on-boot-monitoring-token',
      SHUTDOWN_GRACE_MS: '0',
    });
    const errors = jest.spyOn(Logger.prototype, 'error');
    const { createApp } = await import('../src/http/create-app');
    inProcess = await createApp();
    await inProcess.init();
    await inProcess.getHttpAdapter().getInstance().ready();

    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining(`SCHEMA OUT OF DATE: ${MIGRATIONS.length} pending migration(s)`),
    );
    expect(errors).toHaveBeenCalledWith(expect.stringContaining(MIGRATIONS.join(', ')));
    const ready = await request(inProcess.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.migrations).toEqual({ status: 'down', message: `${MIGRATIONS.length} pending` });
    const admin = new Client({ host: '127.0.0.1', port: pg.port, user: 'postgres', database: 'production_boot' });
    await admin.connect();
    const { rows } = await admin.query<{ tables: number }>(
      "SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'",
    );
    await admin.end();
    expect(rows).toEqual([{ tables: 0 }]);
  }, 60_000);
});
