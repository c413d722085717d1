import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { DataSource } from 'typeorm';

// Config is read when the app module is first imported: set it before the dynamic imports below.
process.env.SHUTDOWN_GRACE_MS = '400';
delete process.env.MONITORING_TOKEN;

async function startApp(): Promise<NestFastifyApplication> {
  const { createApp } = await import('../src/http/create-app');
  const { addDelayRoute } = await import('../../../libs/monitoring/test/test-routes');
  const app = await createApp();
  addDelayRoute(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

interface Operation {
  tags: string[];
  operationId: string;
  responses: Record<string, unknown>;
}

const NO_CACHE = 'no-cache, no-store, must-revalidate';
const PROCESS_UP = { status: 'up', pid: process.pid, uptimeSeconds: expect.any(Number) };
const DATABASE_UP = { status: 'up', latencyMs: expect.any(Number), breaker: 'closed' };
const MIGRATED = { status: 'up', pending: [] };
const UP = { status: 'up' };

describe('Health probes', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /health/live', () => {
    it('should answer 200 with the process only and no details, outside the /api prefix', async () => {
      const res = await request(app.getHttpServer()).get('/health/live');

      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe(NO_CACHE);
      expect(res.body).toEqual({ status: 'ok', info: { process: UP }, error: {}, details: { process: UP } });
    });
  });

  describe('GET /health/ready', () => {
    it('should answer 200 when booted, migrated and not shutting down, with no dependency details', async () => {
      const res = await request(app.getHttpServer()).get('/health/ready');

      expect(res.status).toBe(200);
      const indicators = { shutdown: UP, bootstrap: UP, migrations: UP };
      expect(res.body).toEqual({ status: 'ok', info: indicators, error: {}, details: indicators });
    });
  });

  describe('GET /health/startup', () => {
    it('should answer 200 once booted, without waiting on migrations', async () => {
      const res = await request(app.getHttpServer()).get('/health/startup');

      expect(res.status).toBe(200);
      const indicators = { bootstrap: UP };
      expect(res.body).toEqual({ status: 'ok', info: indicators, error: {}, details: indicators });
    });
  });

  describe('GET /health', () => {
    it('should answer 200 with every indicator and its details', async () => {
      const res = await request(app.getHttpServer()).get('/health');

      expect(res.status).toBe(200);
      expect(res.body.details).toEqual(
        expect.objectContaining({
          process: PROCESS_UP,
          shutdown: { status: 'up' },
          database: DATABASE_UP,
          migrations: MIGRATED,
        }),
      );
      expect(res.body.error).toEqual({});
    });
  });

  describe('GET /api/health/live', () => {
    it('should not exist: probes live outside the /api prefix', async () => {
      const res = await request(app.getHttpServer()).get('/api/health/live');

      expect(res.status).toBe(404);
    });
  });

  describe('GET /docs-json', () => {
    it('should document the probes under the health tag', async () => {
      const res = await request(app.getHttpServer()).get('/docs-json');

      const probes = ['/health/live', '/health/ready', '/health/startup', '/health'];
      const paths = res.body.paths as Record<string, { get: Operation } | undefined>;
      const operations = probes.map((path) => paths[path]?.get);
      expect(operations.map((op) => op?.tags)).toEqual(probes.map(() => ['health']));
      expect(operations.map((op) => op?.operationId)).toEqual([
        'checkLiveness',
        'checkReadiness',
        'checkStartup',
        'checkHealth',
      ]);
      // /health carries details: it needs the monitoring token (401 without, when one is set).
      expect(operations.map((op) => Object.keys(op?.responses ?? {}).sort())).toEqual([
        ['200', '503'],
        ['200', '503'],
        ['200', '503'],
        ['200', '401', '503'],
      ]);
    });
  });
});

describe('Graceful shutdown', () => {
  let app: NestFastifyApplication;
  let url: string;

  let shutDownGracefully: (app: NestFastifyApplication, signal: string) => Promise<void>;

  beforeAll(async () => {
    ({ shutDownGracefully } = await import('../src/http/graceful-shutdown'));
    app = await startApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('SIGTERM', () => {
    it('should fail readiness first, keep liveness, finish in-flight requests, then close the server and pools', async () => {
      const dataSource = app.get(DataSource);
      // A slow request already in flight when the signal arrives.
      const inFlight = request(url)
        .get('/api/test/delay/700')
        .then((res) => res);
      await delay(50);
      const started = performance.now();

      // Exactly what main.ts does on SIGTERM, without signalling (or exiting) the test runner.
      const closing = shutDownGracefully(app, 'SIGTERM');
      await delay(50);
      const ready = await request(url).get('/health/ready');
      const live = await request(url).get('/health/live');

      expect(ready.status).toBe(503);
      expect(ready.headers['cache-control']).toBe(NO_CACHE);
      expect(ready.body).toEqual({
        // `shutting_down` once Terminus's own shutdown hook has run too; which runs first is Nest's module order.
        status: expect.stringMatching(/^(error|shutting_down)$/),
        info: { bootstrap: UP, migrations: UP },
        error: { shutdown: { status: 'down', message: 'shutting down' } },
        details: expect.objectContaining({ shutdown: { status: 'down', message: 'shutting down' } }),
      });
      expect(live.status).toBe(200);
      await expect(inFlight).resolves.toEqual(expect.objectContaining({ status: 200, body: { delayedMs: 700 } }));
      await expect(closing).resolves.toBeUndefined();
      expect(performance.now() - started).toBeGreaterThanOrEqual(390);
      expect(dataSource.isInitialized).toBe(false);
      await expect(request(url).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
    });
  });
});
