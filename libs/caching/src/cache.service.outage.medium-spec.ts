import { Redis } from 'ioredis';
import { redisName, startCacheInstance, waitFor, within, type CacheInstance } from '../test/caching-testing';
import { RedisTestServer } from '../../../test-support/redis-test-server';
import { articleKey } from './cache-keys';
import { CacheService } from './cache.service';

// Outages on a private redis-server (never the shared one: other test runs use it concurrently).
describe(CacheService.name, () => {
  let server: RedisTestServer;
  let a: CacheInstance | undefined;
  let b: CacheInstance | undefined;
  let n = 0;

  beforeAll(async () => {
    server = await RedisTestServer.start();
  });

  beforeEach(async () => {
    [a, b] = await Promise.all([
      startCacheInstance({ redis: { url: server.url } }),
      startCacheInstance({ redis: { url: server.url } }),
    ]);
  });

  afterEach(async () => {
    server.resume();
    await Promise.all([a?.moduleRef.close(), b?.moduleRef.close()]);
    a = b = undefined;
  });

  afterAll(async () => {
    await server?.kill();
  });

  function caches(): [CacheService, CacheService] {
    if (a === undefined || b === undefined) throw new Error('instances not started');
    return [a.cache, b.cache];
  }

  function counting(value: string): jest.Mock<Promise<string>, []> {
    return jest.fn(() => Promise.resolve(value));
  }

  async function redisCommand(...args: [string, ...string[]]): Promise<unknown> {
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    try {
      return await redis.call(...args);
    } finally {
      redis.disconnect();
    }
  }

  describe('getOrLoad', () => {
    it('should keep answering from load() while Redis is down, and cache again once it is back', async () => {
      const [cacheA, cacheB] = caches();
      const key = articleKey(`outage-${++n}`);
      await cacheA.getOrLoad(key, counting('before'));
      await expect(redisCommand('EXISTS', redisName(key))).resolves.toBe(1);

      await server.kill();
      // The instances learn of it from their sockets, within milliseconds.
      await waitFor(() => cacheA.status().redis === 'down' && cacheB.status().redis === 'down', 1000);

      const load = counting('during');
      for (let i = 0; i < 10; i++) {
        await expect(within(1000, cacheA.getOrLoad(key, load))).resolves.toBe('during');
        await expect(within(1000, cacheB.getOrLoad(`${key}-b`, load))).resolves.toBe('during');
      }
      expect(load).toHaveBeenCalledTimes(20);
      expect(cacheA.status()).toEqual(
        expect.objectContaining({ redis: 'down', redisBreaker: expect.stringMatching(/open/) }),
      );
      expect(cacheA.status().l1).toEqual(expect.objectContaining({ enabled: false, entries: 0 }));
      await expect(within(1000, cacheA.invalidate(key))).resolves.toBeUndefined();
      await expect(within(1000, cacheA.bumpNamespace(`outage-ns-${n}`))).resolves.toBeUndefined();
      await expect(within(1000, cacheA.namespaceVersion(`outage-ns-${n}`))).resolves.toEqual(expect.any(Number));

      await server.start();

      await waitFor(() => cacheA.status().redis === 'up' && cacheB.status().redis === 'up', 10_000);
      await waitFor(() => cacheA.status().l1.enabled && cacheB.status().l1.enabled, 10_000);
      const after = counting('after');
      await expect(cacheA.getOrLoad(key, after)).resolves.toBe('after');
      const l2HitsBefore = cacheB.status().l2.hits;
      await expect(cacheB.getOrLoad(key, counting('unused'))).resolves.toBe('after');
      expect(cacheB.status().l2.hits).toBe(l2HitsBefore + 1);
      expect(after).toHaveBeenCalledTimes(1);

      // Invalidation across instances works again too (the subscription is back).
      await cacheA.invalidate(key);
      await waitFor(async () => (await cacheB.getOrLoad(key, counting('fresh'))) === 'fresh', 1000);
    });

    it('should bypass a hung Redis within the command timeout, and replay missed invalidations when it answers', async () => {
      const [cacheA, cacheB] = caches();
      const key = articleKey(`hung-${++n}`);
      await cacheA.getOrLoad(key, counting('old'));

      server.pause();

      const load = counting('during');
      for (let i = 0; i < 5; i++) {
        await expect(within(1000, cacheB.getOrLoad(`${key}-${i}`, load))).resolves.toBe('during');
      }
      await expect(within(1000, cacheA.invalidate(key))).resolves.toBeUndefined();
      await waitFor(() => cacheB.status().redis === 'down', 2000);

      server.resume();

      await waitFor(() => cacheA.status().redis === 'up' && cacheB.status().redis === 'up', 10_000).catch((err) => {
        throw new Error(`${String(err)}: ${JSON.stringify([cacheA.status(), cacheB.status()])}`);
      });
      // a's write during the hang never reached Redis: it was replayed before the cache used Redis again.
      await expect(redisCommand('EXISTS', redisName(key))).resolves.toBe(0);
      await expect(cacheB.getOrLoad(key, counting('new'))).resolves.toBe('new');
    });
  });

  describe('onApplicationShutdown', () => {
    it('should close promptly while Redis is down', async () => {
      const [cacheA] = caches();
      await cacheA.getOrLoad(articleKey(`close-${++n}`), counting('x'));
      await server.kill();

      await expect(within(2000, Promise.all([a?.moduleRef.close(), b?.moduleRef.close()]))).resolves.toEqual([
        undefined,
        undefined,
      ]);
      a = b = undefined;
      await server.start();
    });
  });
});
