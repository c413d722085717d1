import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { RedisTestServer } from '../../../test-support/redis-test-server';

/**
 * Redis stopped under the running production app (createApp). A private redis-server is stopped,
 * never the machine's shared one.
 */
describe('Redis outage', () => {
  let redis: RedisTestServer | undefined;
  let app: NestFastifyApplication | undefined;

  const get = (url: string) => request(app!.getHttpServer()).get(url);
  /** Polls `probe` until it is true, or fails after `limitMs`. */
  const eventually = async (limitMs: number, probe: () => Promise<boolean>): Promise<void> => {
    const started = performance.now();
    while (!(await probe())) {
      if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
      await delay(100);
    }
  };
  const bypasses = (metrics: string): number =>
    Number(/^pn_cache_redis_bypasses_total (\d+)$/m.exec(metrics)?.[1] ?? Number.NaN);
  const redisState = async (): Promise<string> => {
    await get('/api/tags'); // traffic, so the cache notices
    return ((await get('/health')).body as { details: { redis: { state: string } } }).details.redis.state;
  };

  beforeAll(async () => {
    redis = await RedisTestServer.start();
    // Config is read when the app module is first imported: set it before the dynamic imports below.
    process.env.REDIS_HOST = '127.0.0.1';
    process.env.REDIS_PORT = String(redis.port);
    delete process.env.REDIS_URL;
    delete process.env.MONITORING_TOKEN;
    const { createApp } = await import('../src/http/create-app');
    app = await createApp();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }, 60_000);

  afterAll(async () => {
    try {
      await app?.close();
    } finally {
      await redis?.kill();
    }
  }, 30_000);

  describe('while Redis runs', () => {
    it('should report Redis up with hit ratios in health, performance and metrics', async () => {
      await get('/api/tags');
      await get('/api/tags');

      const ready = await get('/health');
      const performance = await get('/api/monitoring/performance');
      const metrics = await get('/metrics');

      expect(ready.status).toBe(200);
      expect(ready.body.details.redis).toEqual({
        status: 'up',
        state: 'up',
        breaker: 'closed',
        l1HitRatio: expect.any(Number),
        l2HitRatio: expect.any(Number),
      });
      const tier = { hits: expect.any(Number), misses: expect.any(Number), hitRatio: expect.any(Number) };
      expect(performance.body.cache).toEqual({ redis: 'up', response: tier, l1: tier, l2: tier });
      expect(performance.body.cache.response.hits).toBeGreaterThan(0);
      expect(metrics.text).toMatch(/^pn_cache_redis_up 1$/m);
      expect(metrics.text).toMatch(/^pn_cache_hits_total\{tier="response"\} [1-9]\d*$/m);
      expect(metrics.text).toMatch(/^pn_cache_misses_total\{tier="l2"\} \d+$/m);
    });
  });

  describe('when Redis stops', () => {
    beforeAll(async () => {
      await redis!.kill();
    });

    it('should stay ready, report Redis down as degraded, and keep serving reads and writes', async () => {
      await eventually(5000, async () => (await redisState()) === 'down');

      const ready = await get('/health/ready');
      const health = await get('/health');
      const bypassesBefore = bypasses((await get('/metrics')).text);
      const read = await get('/api/tags');
      const suffix = Date.now().toString(36);
      const write = await request(app!.getHttpServer())
        .post('/api/users')
        .send({ user: { username: `redis${suffix}`, email: `redis${suffix}@example.com`, password: 'password123' } });
      const metrics = await get('/metrics');

      // Every pod shares the outage: readiness says nothing of Redis, /health reports it.
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      expect(ready.body.details).not.toHaveProperty('redis');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('degraded');
      expect(health.body.details.redis).toEqual(
        expect.objectContaining({
          status: 'degraded',
          state: 'down',
          message: 'Redis is unreachable: serving without the shared cache',
        }),
      );
      expect(health.body.error).toEqual({});
      expect(read.status).toBe(200);
      expect(write.status).toBe(201);
      expect(metrics.text).toMatch(/^pn_cache_redis_up 0$/m);
      // The one read went straight to PostgreSQL, and says so.
      expect(bypasses(metrics.text)).toBe(bypassesBefore + 1);
    });
  });

  describe('when Redis starts again', () => {
    beforeAll(async () => {
      await redis!.start();
    });

    it('should report Redis up again, without a restart', async () => {
      await eventually(10_000, async () => (await redisState()) === 'up');

      const ready = await get('/health');

      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
    });

    it('should cache again: repeated reads are in-process hits once Redis is back', async () => {
      await eventually(10_000, async () => (await redisState()) === 'up');
      type Tier = { hits: number };
      const localHits = async (): Promise<number> => {
        const { cache } = (await get('/api/monitoring/performance')).body as { cache: { response: Tier; l1: Tier } };
        return cache.response.hits + cache.l1.hits;
      };
      const before = await localHits();
      for (let i = 0; i < 3; i++) expect((await get('/api/articles?limit=2')).status).toBe(200);

      expect(await localHits()).toBeGreaterThanOrEqual(before + 2);
    });
  });
});
