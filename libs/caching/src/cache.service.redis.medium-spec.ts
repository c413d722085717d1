import { loadConfig } from '@app/config';
import { DatabaseUnavailableException } from '@app/database';
import { InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  deferred,
  redisName,
  startCacheInstance,
  uniqueKeyspace,
  waitFor,
  type CacheInstance,
} from '../test/caching-testing';
import { cacheKey, INVALIDATION_CHANNEL, type CacheKey } from './cache-key';
import { CacheService } from './cache.service';
import { RedisCacheStore } from './redis-cache.store';

// Integration: two cache instances (two Nest modules, as two app instances) over the real, shared Redis.
describe(CacheService.name, () => {
  const keyspace = uniqueKeyspace();
  const redisUrl = loadConfig().redis?.url ?? 'redis://127.0.0.1:6379';
  let a: CacheInstance;
  let b: CacheInstance;
  let n = 0;
  /** A fresh value per test, depending on its own version `dep` (and the shared `common`). */
  let dep: string;
  let key: CacheKey;

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
    dep = `dep:${++n}`;
    key = cacheKey(`t:${n}`, dep, 'common');
  });

  function loader<T>(value: T): jest.Mock<Promise<T>, []> {
    return jest.fn(() => Promise.resolve(value));
  }

  /** A load that says when it has begun (`loading`), then answers `value`: a read in flight across a write. */
  let loading: Promise<void>;
  function slowLoad<T>(value: Promise<T>): () => Promise<T> {
    const begun = deferred();
    loading = begun.promise;
    return () => {
      begun.resolve();
      return value;
    };
  }

  const databaseDown = () => Promise.reject(new DatabaseUnavailableException(1));

  it('should be up on Redis, with the in-process tier on', () => {
    expect(a.cache.status()).toEqual(
      expect.objectContaining({ redis: 'up', redisBreaker: 'closed', l1: expect.objectContaining({ enabled: true }) }),
    );
  });

  describe('getOrLoad', () => {
    it('should load on a miss, then answer from L1 without loading', async () => {
      const load = loader({ title: 'x' });
      await expect(a.cache.getOrLoad(key, load)).resolves.toEqual({ title: 'x' });
      const l1Hits = a.cache.status().l1.hits;
      await expect(a.cache.getOrLoad(key, load)).resolves.toEqual({ title: 'x' });
      expect(load).toHaveBeenCalledTimes(1);
      expect(a.cache.status().l1.hits).toBe(l1Hits + 1);
    });

    it('should answer another instance from L2, then from its own L1', async () => {
      await a.cache.getOrLoad(key, loader('shared'));
      const load = loader('unused');
      const l2Hits = b.cache.status().l2.hits;
      await expect(b.cache.getOrLoad(key, load)).resolves.toBe('shared');
      await expect(b.cache.getOrLoad(key, load)).resolves.toBe('shared');
      expect(load).not.toHaveBeenCalled();
      expect(b.cache.status().l2.hits).toBe(l2Hits + 1);
    });

    it('should return the JSON round trip, frozen (a mutation cannot reach other readers)', async () => {
      const value = await a.cache.getOrLoad(key, loader({ at: new Date(0), list: [1] }));
      expect(value).toEqual({ at: '1970-01-01T00:00:00.000Z', list: [1] });
      expect(() => (value as { list: number[] }).list.push(2)).toThrow(TypeError);
    });

    it('should run one load for concurrent callers (single flight), and share a failure uncached', async () => {
      const result = deferred<string>();
      const load = jest.fn(() => result.promise);
      const calls = Array.from({ length: 10 }, () => a.cache.getOrLoad(key, load));
      result.resolve('once');
      await expect(Promise.all(calls)).resolves.toEqual(Array(10).fill('once'));
      expect(load).toHaveBeenCalledTimes(1);

      const other = cacheKey(`t:${n}-fails`, dep);
      const failing = jest.fn(() => Promise.reject(new NotFoundException()));
      const failures = await Promise.allSettled([a.cache.getOrLoad(other, failing), a.cache.getOrLoad(other, failing)]);
      expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
      await expect(a.cache.getOrLoad(other, loader('later'))).resolves.toBe('later');
    });

    it('should read versions it does not know from Redis once for concurrent callers', async () => {
      const reads = jest.spyOn(a.moduleRef.get(RedisCacheStore), 'read');
      try {
        const calls = Array.from({ length: 10 }, () => a.cache.getOrLoad(key, loader('v')));
        await expect(Promise.all(calls)).resolves.toEqual(Array(10).fill('v'));
        expect(reads).toHaveBeenCalledTimes(1);
      } finally {
        reads.mockRestore();
      }
    });
  });

  describe('bump', () => {
    it('should make the old value unreachable here before it resolves, and on the other instance within 100 ms', async () => {
      await a.cache.getOrLoad(key, loader('old'));
      await expect(b.cache.getOrLoad(key, loader('unused'))).resolves.toBe('old');

      await a.cache.bump(dep);

      await expect(a.cache.getOrLoad(key, loader('new'))).resolves.toBe('new');
      const took = await waitFor(async () => (await b.cache.getOrLoad(key, loader('new-b'))) !== 'old', 1000);
      expect(took).toBeLessThan(100);
    });

    it('should leave values that do not depend on the bumped version cached', async () => {
      const other = cacheKey(`t:${n}-other`, `${dep}-other`);
      await a.cache.getOrLoad(other, loader('kept'));
      await a.cache.bump(dep);
      await expect(a.cache.getOrLoad(other, loader('reloaded'))).resolves.toBe('kept');
    });

    it('should never let a load that read old data before a write land where readers look after it', async () => {
      const slowRead = deferred<string>();
      const reading = a.cache.getOrLoad(key, slowLoad(slowRead.promise));
      await loading;
      await b.cache.bump(dep); // the write commits and bumps while a's load is still reading
      slowRead.resolve('read before the write');
      await expect(reading).resolves.toBe('read before the write');

      await waitFor(async () => (await a.cache.getOrLoad(key, loader('after'))) === 'after', 1000);
      await expect(b.cache.getOrLoad(key, loader('after-b'))).resolves.toBe('after');
    });

    it('should keep in L1 the value loaded after a write, not one an older load finishes later', async () => {
      const slowRead = deferred<string>();
      const reading = a.cache.getOrLoad(key, slowLoad(slowRead.promise));
      await loading;
      await a.cache.bump(dep);
      await expect(a.cache.getOrLoad(key, loader('after the write'))).resolves.toBe('after the write');
      slowRead.resolve('read before the write');
      await reading;

      expect(a.cache.peek(key)).toBe('after the write');
    });

    it('should say which versions a value was built under, current until a bump', async () => {
      const { stamp } = await a.cache.fetch(key, loader('x'));
      expect(stamp?.names).toEqual(['epoch', dep, 'common']);
      expect(a.cache.isCurrent(stamp!)).toBe(true);
      await b.cache.bump(dep);
      await waitFor(() => !a.cache.isCurrent(stamp!), 1000);
    });

    it('should ignore malformed messages on the channel', async () => {
      await a.cache.getOrLoad(key, loader('before'));
      const publisher = new Redis(redisUrl);
      try {
        const channel = redisName(INVALIDATION_CHANNEL, keyspace);
        await publisher.publish(channel, 'not json');
        await publisher.publish(channel, JSON.stringify({ origin: 'x', versions: { [dep]: 'not a number' } }));
      } finally {
        publisher.disconnect();
      }
      // Redis delivers a channel's messages in order: once b's bump reached a, the bad ones were handled.
      await b.cache.bump(dep);
      await waitFor(async () => (await a.cache.getOrLoad(key, loader('after'))) === 'after', 1000);
      expect(a.cache.status().l1.enabled).toBe(true);
    });
  });

  describe('stale-if-error', () => {
    it('should answer the newest copy, marked stale, while the database is down, even after a write', async () => {
      await a.cache.getOrLoad(key, loader('v1'));
      await a.cache.bump(dep);
      await a.cache.getOrLoad(key, loader('v2'));
      await a.cache.bump(dep);

      const cached = await a.cache.fetch(key, databaseDown);
      expect(cached).toEqual({ value: 'v2', staleSince: expect.any(Number) });
      // Another instance finds the copy in Redis.
      await expect(b.cache.fetch(key, databaseDown)).resolves.toEqual(expect.objectContaining({ value: 'v2' }));
      expect(a.cache.status().staleServes).toBeGreaterThan(0);
    });

    it('should rethrow other errors, and a 503 when there is no copy at all', async () => {
      await a.cache.getOrLoad(key, loader('v1'));
      await a.cache.bump(dep);
      await expect(a.cache.getOrLoad(key, () => Promise.reject(new InternalServerErrorException()))).rejects.toThrow(
        InternalServerErrorException,
      );
      const never = cacheKey(`t:${n}-never`, dep);
      await expect(a.cache.getOrLoad(never, databaseDown)).rejects.toThrow(DatabaseUnavailableException);
    });
  });

  describe('peek', () => {
    it('should answer from L1 under current versions only, without loading', async () => {
      expect(a.cache.peek(key)).toBeUndefined();
      await a.cache.getOrLoad(key, loader('peeked'));
      expect(a.cache.peek(key)).toBe('peeked');
      await a.cache.bump(dep);
      expect(a.cache.peek(key)).toBeUndefined();
    });
  });

  describe('clear', () => {
    it('should keep instances in step after it, though versions restart from 0 under the new epoch', async () => {
      for (let i = 0; i < 5; i++) await a.cache.bump(dep);
      await a.cache.getOrLoad(key, loader('before'));
      await expect(b.cache.getOrLoad(key, loader('unused'))).resolves.toBe('before');

      await a.cache.clear();
      await waitFor(async () => (await b.cache.getOrLoad(key, loader('after clear'))) === 'after clear', 1000);
      await a.cache.bump(dep); // now version 1, below what b saw before the clear

      await waitFor(async () => (await b.cache.getOrLoad(key, loader('after write'))) === 'after write', 1000);
    });

    it('should forget every value on every instance', async () => {
      await a.cache.getOrLoad(key, loader('before'));
      await b.cache.getOrLoad(key, loader('unused'));
      await b.cache.clear();
      await expect(b.cache.getOrLoad(key, loader('after'))).resolves.toBe('after');
      await waitFor(async () => (await a.cache.getOrLoad(key, loader('after-a'))) !== 'before', 1000);
    });
  });
});
