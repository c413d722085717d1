import { CacheService, ResponseCache } from '@app/caching';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { RedisTestServer } from '../../../test-support/redis-test-server';
import type { TestApp as TestAppType } from './support/test-app';

const UNCONFIRMED_MAX_MS = 1000;
/** Polling granularity plus one request's time while Redis hangs (a command timeout, 200 ms). */
const MARGIN_MS = 300;

/**
 * Bounded staleness (DESIGN.md §6): two instances of the app on a private redis-server, frozen with
 * SIGSTOP while one of them updates an article. The other must stop serving its in-process copy within
 * CACHE_UNCONFIRMED_MAX_MS of the write being acknowledged, though nothing tells it (no error, no
 * closed socket, no message): only the heartbeat it no longer hears.
 */
describe('Redis hung while another instance writes', () => {
  let redis: RedisTestServer;
  let a: TestAppType;
  let b: TestAppType;
  let token: string;
  let slug: string;

  beforeAll(async () => {
    redis = await RedisTestServer.start();
    // Config is read when the app module is first imported: set it before the dynamic import.
    process.env.REDIS_HOST = '127.0.0.1';
    process.env.REDIS_PORT = String(redis.port);
    delete process.env.REDIS_URL;
    process.env.CACHE_KEYSPACE = `${process.env.DB_NAME}-stale-${randomUUID().slice(0, 8)}`;
    process.env.CACHE_UNCONFIRMED_MAX_MS = String(UNCONFIRMED_MAX_MS);
    const { TestApp } = await import('./support/test-app');
    [a, b] = await Promise.all([TestApp.start(), TestApp.start()]);
    await a.truncate();
    ({ token } = await a.register(`stale${randomUUID().slice(0, 6)}`));
    const created = await a.call('post', '/api/articles', {
      token,
      body: { article: { title: 'Hung', description: 'd', body: 'v1', tagList: [] } },
    });
    slug = created.body.article.slug;
  }, 60_000);

  afterAll(async () => {
    redis?.resume();
    await Promise.all([a?.close(), b?.close()]);
    await redis?.kill();
  }, 30_000);

  const bodyOnB = async (): Promise<string> => (await b.call('get', `/api/articles/${slug}`)).body.article.body;

  it('should use one command connection and one subscriber per instance (cache, bus and rate limits)', async () => {
    for (const instance of [a, b]) {
      const login = { user: { email: 'nobody@example.com', password: 'wrong-password' } };
      expect((await instance.call('post', '/api/users/login', { body: login })).status).toBe(422);
    }
    const probe = new Redis(redis.url);
    try {
      const clients = String(await probe.call('CLIENT', 'LIST'))
        .trim()
        .split('\n');
      const others = clients.filter((line) => !line.includes('cmd=client|list'));
      expect(others.filter((line) => / flags=P /.test(line))).toHaveLength(2);
      expect(others.filter((line) => / flags=N /.test(line))).toHaveLength(2);
    } finally {
      probe.disconnect();
    }
  });

  it('should stop serving the old version within CACHE_UNCONFIRMED_MAX_MS of the write, and cache again after', async () => {
    await expect(bodyOnB()).resolves.toBe('v1');
    await expect(bodyOnB()).resolves.toBe('v1'); // now an in-process copy on b
    const cacheB = b.app.get(CacheService);
    expect(cacheB.status().confirmed).toBe(true);

    redis.pause();
    const paused = performance.now();
    const update = await a.call('put', `/api/articles/${slug}`, { token, body: { article: { body: 'v2' } } });
    const acknowledged = performance.now();
    expect(update.status).toBe(200); // PostgreSQL is fine: the write succeeds without Redis

    let lastOld = acknowledged;
    let body = await bodyOnB();
    while (body !== 'v2' && performance.now() - acknowledged < 3 * UNCONFIRMED_MAX_MS) {
      lastOld = performance.now();
      await delay(10);
      body = await bodyOnB();
    }
    const staleAfterAck = lastOld - acknowledged;
    process.stdout.write(
      `staleness: write acknowledged ${Math.round(acknowledged - paused)} ms after SIGSTOP; ` +
        `b served the old version until ${Math.round(staleAfterAck)} ms after it ` +
        `(${Math.round(lastOld - paused)} ms after SIGSTOP; bound ${UNCONFIRMED_MAX_MS} ms)\n`,
    );
    expect(body).toBe('v2');
    expect(staleAfterAck).toBeLessThanOrEqual(UNCONFIRMED_MAX_MS + MARGIN_MS);
    expect(cacheB.status().confirmed).toBe(false);

    redis.resume();
    const resumed = performance.now();
    while (!cacheB.status().confirmed && performance.now() - resumed < 10_000) await delay(20);
    expect(cacheB.status().confirmed).toBe(true);
    // In-process answers again: from L1, or whole from the response tier in front of it.
    const inProcessHits = () => cacheB.status().l1.hits + b.app.get(ResponseCache).status().hits;
    const hitsBefore = inProcessHits();
    for (let i = 0; i < 3; i++) await expect(bodyOnB()).resolves.toBe('v2');
    expect(inProcessHits()).toBeGreaterThan(hitsBefore);
  }, 30_000);
});
