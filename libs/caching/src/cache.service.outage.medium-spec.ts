import { Redis } from 'ioredis';
import { redisName, startCacheInstance, waitFor, within, type CacheInstance } from '../test/caching-testing';
import { RedisTestServer } from '../../../test-support/redis-test-server';
import { cacheKey, versionedKey, type CacheKey } from './cache-key';
import { CacheService } from './cache.service';
import { REDIS_COMMAND_TIMEOUT_MS, RedisConnection } from '@app/redis';

/** A hung Redis holds a call for one command timeout at most (then the breaker fails fast). */
const HUNG_BOUND_MS = REDIS_COMMAND_TIMEOUT_MS + 500;

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

  /** A value that depends on its own version (`dep:<name>`), so a test bumps exactly it. */
  function key(name: string): CacheKey {
    return cacheKey(`t:${name}`, `dep:${name}`);
  }

  /** Where the value of `k` currently lives in Redis (its versions read as the cache reads them). */
  async function storedName(k: CacheKey): Promise<string> {
    const versions = (await redisCommand('HMGET', redisName('pn:versions'), ...k.deps)) as string[];
    return redisName(versionedKey(k, versions.map(Number)));
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
      const name = `outage-${++n}`;
      const k = key(name);
      await cacheA.getOrLoad(k, counting('before'));
      await expect(redisCommand('EXISTS', await storedName(k))).resolves.toBe(1);

      await server.kill();
      // The instances learn of it from their sockets, within milliseconds.
      await waitFor(() => cacheA.status().redis === 'down' && cacheB.status().redis === 'down', 1000);

      const load = counting('during');
      for (let i = 0; i < 10; i++) {
        await expect(within(1000, cacheA.getOrLoad(k, load))).resolves.toBe('during');
        await expect(within(1000, cacheB.getOrLoad(key(`${name}-b`), load))).resolves.toBe('during');
      }
      expect(load).toHaveBeenCalledTimes(20);
      expect(cacheA.status()).toEqual(
        expect.objectContaining({ redis: 'down', redisBreaker: expect.stringMatching(/open/) }),
      );
      expect(cacheA.status().l1).toEqual(expect.objectContaining({ enabled: false }));
      // A write during the outage: its bump cannot reach Redis (the epoch moves on once it is back).
      await expect(within(1000, cacheA.bump(`dep:${name}`))).resolves.toBeUndefined();

      await server.start();

      await waitFor(() => cacheA.status().redis === 'up' && cacheB.status().redis === 'up', 10_000);
      await waitFor(() => cacheA.status().l1.enabled && cacheB.status().l1.enabled, 10_000);
      const after = counting('after');
      await expect(cacheA.getOrLoad(k, after)).resolves.toBe('after');
      const l2HitsBefore = cacheB.status().l2.hits;
      await expect(cacheB.getOrLoad(k, counting('unused'))).resolves.toBe('after');
      expect(cacheB.status().l2.hits).toBe(l2HitsBefore + 1);
      expect(after).toHaveBeenCalledTimes(1);

      // Bumps reach the other instance again too (the subscription is back).
      await cacheA.bump(`dep:${name}`);
      await waitFor(async () => (await cacheB.getOrLoad(k, counting('fresh'))) === 'fresh', 1000);
    });

    it('should bypass a hung Redis within the command timeout, and move the epoch on past a missed bump when it answers', async () => {
      const [cacheA, cacheB] = caches();
      const name = `hung-${++n}`;
      const k = key(name);
      await cacheA.getOrLoad(k, counting('old'));
      await expect(cacheB.getOrLoad(k, counting('unused'))).resolves.toBe('old');

      server.pause();

      const load = counting('during');
      for (let i = 0; i < 5; i++) {
        await expect(within(HUNG_BOUND_MS, cacheB.getOrLoad(key(`${name}-${i}`), load))).resolves.toBe('during');
      }
      await expect(within(HUNG_BOUND_MS, cacheA.bump(`dep:${name}`))).resolves.toBeUndefined();
      await waitFor(() => cacheB.status().redis === 'down', 2000);

      server.resume();

      await waitFor(() => cacheA.status().redis === 'up' && cacheB.status().redis === 'up', 10_000).catch((err) => {
        throw new Error(`${String(err)}: ${JSON.stringify([cacheA.status(), cacheB.status()])}`);
      });
      // a's bump during the hang never reached Redis: the epoch moved on, so b's copy is unreachable.
      await waitFor(async () => (await cacheB.getOrLoad(k, counting('new'))) === 'new', 2000);
    });
  });

  describe('bump', () => {
    it('should retire, on every instance, what a bump Redis never received changed, once Redis answers again', async () => {
      const [cacheA, cacheB] = caches();
      const name = `missed-${++n}`;
      const k = key(name);
      await cacheA.getOrLoad(k, counting('old'));
      await expect(cacheB.getOrLoad(k, counting('unused'))).resolves.toBe('old');

      // a's command connection drops (nothing else): its bump fails at once, b keeps using Redis and the bus.
      const aClient = a!.moduleRef.get(RedisConnection).client!;
      await redisCommand('CLIENT', 'KILL', 'ID', String(await aClient.client('ID')));
      await waitFor(() => cacheA.status().redis === 'down', 1000);
      await cacheA.bump(`dep:${name}`);

      const took = await waitFor(async () => (await cacheB.getOrLoad(k, counting('new'))) === 'new', 5000);
      expect(took).toBeLessThan(3000);
    });
  });

  describe('onApplicationShutdown', () => {
    it('should close promptly while Redis is down', async () => {
      const [cacheA] = caches();
      await cacheA.getOrLoad(key(`close-${++n}`), counting('x'));
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
