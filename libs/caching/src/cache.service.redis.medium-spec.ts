import { loadConfig } from '@app/config';
import { DatabaseUnavailableException } from '@app/database';
import { InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  deferred,
  redisName,
  sleep,
  startCacheInstance,
  uniqueKeyspace,
  waitFor,
  type CacheInstance,
} from '../test/caching-testing';
import { INVALIDATION_CHANNEL, articleKey, articleListKey } from './cache-keys';
import { CacheService } from './cache.service';

// Integration: two cache instances (two Nest modules, as two app instances) over the real, shared Redis.
describe(CacheService.name, () => {
  const keyspace = uniqueKeyspace();
  const run = keyspace.slice(-8);
  const redisUrl = loadConfig().redis?.url ?? 'redis://127.0.0.1:6379';
  let a: CacheInstance;
  let b: CacheInstance;
  let n = 0;
  /** A fresh key per test: tests never see each other's entries. */
  let key: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startCacheInstance({ cache: { keyspace } }),
      startCacheInstance({ cache: { keyspace } }),
    ]);
  });

  afterAll(async () => {
    await a?.cache.clear();
    await Promise.all([a?.moduleRef.close(), b?.moduleRef.close()]);
  });

  beforeEach(() => {
    key = articleKey(`${run}-${++n}`);
  });

  function loader<T>(value: T): jest.Mock<Promise<T>, []> {
    return jest.fn(() => Promise.resolve(value));
  }

  it('should be up on Redis, with the in-process tier on', () => {
    expect(a.cache.status()).toEqual(
      expect.objectContaining({ redis: 'up', redisBreaker: 'closed', l1: expect.objectContaining({ enabled: true }) }),
    );
  });

  describe('getOrLoad', () => {
    it('should load on a miss, then answer from L1 without loading', async () => {
      const load = loader({ article: { slug: 'x', tagList: ['b', 'a'] } });
      const before = a.cache.status();

      await expect(a.cache.getOrLoad(key, load)).resolves.toEqual({ article: { slug: 'x', tagList: ['b', 'a'] } });
      await expect(a.cache.getOrLoad(key, load)).resolves.toEqual({ article: { slug: 'x', tagList: ['b', 'a'] } });

      expect(load).toHaveBeenCalledTimes(1);
      const after = a.cache.status();
      expect(after.l1.hits - before.l1.hits).toBe(1);
      expect(after.l1.misses - before.l1.misses).toBe(1);
      expect(after.l2.misses - before.l2.misses).toBe(1);
    });

    it('should answer another instance from L2, then from its own L1', async () => {
      await a.cache.getOrLoad(key, loader('from a'));
      const load = loader('from b');
      const before = b.cache.status();

      await expect(b.cache.getOrLoad(key, load)).resolves.toBe('from a');
      await expect(b.cache.getOrLoad(key, load)).resolves.toBe('from a');

      expect(load).not.toHaveBeenCalled();
      const after = b.cache.status();
      expect(after.l2.hits - before.l2.hits).toBe(1);
      expect(after.l1.hits - before.l1.hits).toBe(1);
    });

    it('should return the JSON round trip, frozen (a mutation cannot reach other readers)', async () => {
      const loaded = { at: new Date(0), items: [1] };
      const value = await a.cache.getOrLoad(key, loader(loaded));

      expect(value).toEqual({ at: '1970-01-01T00:00:00.000Z', items: [1] });
      expect(Object.isFrozen(value.items)).toBe(true);
      await expect(a.cache.getOrLoad(key, loader(null))).resolves.toBe(value);
    });

    it('should run one load for concurrent callers (single flight)', async () => {
      const started = deferred();
      const result = deferred<string>();
      const load = jest.fn(() => {
        started.resolve();
        return result.promise;
      });

      const calls = Array.from({ length: 10 }, () => a.cache.getOrLoad(key, load));
      await started.promise;
      result.resolve('once');

      await expect(Promise.all(calls)).resolves.toEqual(Array(10).fill('once'));
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('should share a failure among concurrent callers, and not cache it', async () => {
      const load = jest.fn(() => Promise.reject(new NotFoundException()));

      const calls = Array.from({ length: 3 }, () => a.cache.getOrLoad(key, load));

      await expect(Promise.all(calls)).rejects.toBeInstanceOf(NotFoundException);
      expect(load).toHaveBeenCalledTimes(1);
      await expect(a.cache.getOrLoad(key, loader('later'))).resolves.toBe('later');
    });

    it('should load again once the entry has expired', async () => {
      await a.cache.getOrLoad(key, loader('old'), { ttlSeconds: 1 });
      await sleep(1100);

      await expect(a.cache.getOrLoad(key, loader('new'), { ttlSeconds: 1 })).resolves.toBe('new');
      await expect(b.cache.getOrLoad(key, loader('other'))).resolves.toBe('new');
    });

    it('should serve the expired copy when the database is down (503)', async () => {
      await a.cache.getOrLoad(key, loader('stale but useful'), { ttlSeconds: 1 });
      await sleep(1100);
      const databaseDown = () => Promise.reject(new DatabaseUnavailableException(2));

      await expect(a.cache.getOrLoad(key, databaseDown)).resolves.toBe('stale but useful');
      // b never had it in L1: its copy comes from Redis, which keeps expired entries for a day.
      await expect(b.cache.getOrLoad(key, databaseDown)).resolves.toBe('stale but useful');
    });

    it('should rethrow other errors even when an expired copy exists', async () => {
      await a.cache.getOrLoad(key, loader('stale'), { ttlSeconds: 1 });
      await sleep(1100);

      await expect(
        a.cache.getOrLoad(key, () => Promise.reject(new InternalServerErrorException())),
      ).rejects.toBeInstanceOf(InternalServerErrorException);
    });

    it('should rethrow a 503 when there is no copy at all', async () => {
      await expect(
        a.cache.getOrLoad(key, () => Promise.reject(new DatabaseUnavailableException(2))),
      ).rejects.toBeInstanceOf(DatabaseUnavailableException);
    });

    it('should not store a value whose key was invalidated while it loaded', async () => {
      const started = deferred();
      const result = deferred<string>();
      const reading = a.cache.getOrLoad(key, () => {
        started.resolve();
        return result.promise;
      });
      // The load is under way (past the L2 miss): the write lands in the middle of it.
      await started.promise;

      await a.cache.invalidate(key);
      result.resolve('read before the write');

      await expect(reading).resolves.toBe('read before the write');
      await expect(a.cache.getOrLoad(key, loader('after the write'))).resolves.toBe('after the write');
      await expect(b.cache.getOrLoad(key, loader('unused'))).resolves.toBe('after the write');
    });
  });

  describe('getOrLoad across tiers', () => {
    it('should return the same value from the load, L1 and another instance’s L2', async () => {
      await expect(a.cache.getOrLoad(key, loader({ tags: ['a'] }))).resolves.toEqual({ tags: ['a'] });
      await expect(a.cache.getOrLoad(key, loader(null))).resolves.toEqual({ tags: ['a'] });
      await expect(b.cache.getOrLoad(key, loader(null))).resolves.toEqual({ tags: ['a'] });
    });
  });

  describe('invalidate', () => {
    it('should remove the key from L1 and L2 before it resolves', async () => {
      await a.cache.getOrLoad(key, loader('v1'));

      await a.cache.invalidate(key);

      await expect(a.cache.getOrLoad(key, loader('v2'))).resolves.toBe('v2');
    });

    it("should drop another instance's L1 copy within 100 ms", async () => {
      await a.cache.getOrLoad(key, loader('v1'));
      await expect(b.cache.getOrLoad(key, loader('unused'))).resolves.toBe('v1');

      await a.cache.invalidate(key);
      const took = await waitFor(async () => (await b.cache.getOrLoad(key, loader('v2'))) === 'v2', 1000);

      expect(took).toBeLessThan(100);
    });

    it('should ignore malformed messages on the channel', async () => {
      const marker = `${key}-marker`;
      await a.cache.getOrLoad(key, loader('kept'));
      await a.cache.getOrLoad(marker, loader('before'));
      const publisher = new Redis(redisUrl);
      try {
        await publisher.publish(redisName(INVALIDATION_CHANNEL, keyspace), 'not json');
        await publisher.publish(
          redisName(INVALIDATION_CHANNEL, keyspace),
          JSON.stringify({ origin: 'x', keys: 'not a list' }),
        );
      } finally {
        publisher.disconnect();
      }
      // Redis delivers a channel's messages in the order it took them: once b's well-formed message
      // has reached a, the malformed ones published before it have been handled too.
      await b.cache.invalidate(marker);
      await waitFor(async () => (await a.cache.getOrLoad(marker, loader('after'))) === 'after', 1000);

      // Still in a's own L1 (Redis would answer 'kept' too, had L1 been dropped).
      const l1Hits = a.cache.status().l1.hits;
      await expect(a.cache.getOrLoad(key, loader('reloaded'))).resolves.toBe('kept');
      expect(a.cache.status().l1).toEqual(expect.objectContaining({ enabled: true, hits: l1Hits + 1 }));
    });

    it('should accept several keys, and none', async () => {
      const other = `${key}-other`;
      await a.cache.getOrLoad(key, loader(1));
      await a.cache.getOrLoad(other, loader(1));

      await a.cache.invalidate();
      await a.cache.invalidate(key, other);

      await expect(a.cache.getOrLoad(key, loader(2))).resolves.toBe(2);
      await expect(a.cache.getOrLoad(other, loader(2))).resolves.toBe(2);
    });
  });

  describe('bumpNamespace', () => {
    it('should make keys built with the old version unreachable, here and on other instances', async () => {
      const ns = `${run}-articles-${n}`;
      const v1 = await a.cache.namespaceVersion(ns);
      await expect(b.cache.namespaceVersion(ns)).resolves.toBe(v1);
      const page = articleListKey(v1, { tag: run, limit: 20, offset: 0 });
      await a.cache.getOrLoad(page, loader('page v1'));

      await a.cache.bumpNamespace(ns);

      const v2 = await a.cache.namespaceVersion(ns);
      expect(v2).toBeGreaterThan(v1);
      const newPage = articleListKey(v2, { tag: run, limit: 20, offset: 0 });
      await expect(a.cache.getOrLoad(newPage, loader('page v2'))).resolves.toBe('page v2');
      const took = await waitFor(async () => (await b.cache.namespaceVersion(ns)) === v2, 1000);
      expect(took).toBeLessThan(100);
      await expect(b.cache.getOrLoad(newPage, loader('unused'))).resolves.toBe('page v2');
    });

    it('should keep versions apart per namespace', async () => {
      const [x, y] = [`${run}-x-${n}`, `${run}-y-${n}`];
      const [x1, y1] = await Promise.all([a.cache.namespaceVersion(x), a.cache.namespaceVersion(y)]);

      await a.cache.bumpNamespace(x);

      await expect(a.cache.namespaceVersion(x)).resolves.toBe(x1 + 1);
      await expect(a.cache.namespaceVersion(y)).resolves.toBe(y1);
    });
  });
});
