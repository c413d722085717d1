import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { deferred, startCacheInstance, type CacheInstance } from '../test/caching-testing';
import { cacheKey } from './cache-key';
import { CacheService } from './cache.service';

// Without Redis: the embedded development mode (L1 only), and caching switched off.
describe(CacheService.name, () => {
  function loader<T>(value: T): jest.Mock<Promise<T>, []> {
    return jest.fn(() => Promise.resolve(value));
  }

  /** A value depending on its own version `dep:<name>`. */
  const key = (name: string) => cacheKey(`t:${name}`, `dep:${name}`);

  describe('with no Redis configured (L1 only)', () => {
    let instance: CacheInstance;
    let warn: jest.SpyInstance;

    beforeAll(async () => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      instance = await startCacheInstance({ redis: null, cache: { enabled: true, l1MaxBytes: 200 } });
    });

    afterAll(async () => {
      warn.mockRestore();
      await instance.moduleRef.close();
    });

    it('should say loudly that the cache is in-process only', () => {
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('IN-PROCESS ONLY'));
    });

    it('should report Redis disabled and L1 on', () => {
      expect(instance.cache.status()).toEqual(
        expect.objectContaining({
          redis: 'disabled',
          redisBreaker: 'closed',
          l1: expect.objectContaining({ enabled: true, maxBytes: 200 }),
        }),
      );
    });

    describe('getOrLoad', () => {
      it('should load once, then answer from L1', async () => {
        const load = loader({ a: 1 });

        await expect(instance.cache.getOrLoad(key('l1-a'), load)).resolves.toEqual({ a: 1 });
        await expect(instance.cache.getOrLoad(key('l1-a'), load)).resolves.toEqual({ a: 1 });

        expect(load).toHaveBeenCalledTimes(1);
        expect(instance.cache.status().l2).toEqual({ hits: 0, misses: 0, hitRatio: 0 });
      });

      it('should run one load for concurrent callers', async () => {
        const result = deferred<string>();
        const load = jest.fn(() => result.promise);

        const calls = Array.from({ length: 10 }, () => instance.cache.getOrLoad(key('l1-sf'), load));
        result.resolve('once');
        const values = await Promise.all(calls);

        expect(values).toEqual(Array(10).fill('once'));
        expect(load).toHaveBeenCalledTimes(1);
      });

      it('should stay within its byte bound, evicting the least recently used', async () => {
        for (let i = 0; i < 10; i++) await instance.cache.getOrLoad(key(`l1-big-${i}`), loader('x'.repeat(40)));

        expect(instance.cache.status().l1.bytes).toBeLessThanOrEqual(200);
        const load = loader('reloaded');
        await expect(instance.cache.getOrLoad(key('l1-big-0'), load)).resolves.toBe('reloaded');
      });

      it('should serve the newest copy when the database is down, even after a bump', async () => {
        await instance.cache.getOrLoad(key('l1-stale'), loader('stale'));
        await instance.cache.bump('dep:l1-stale');

        await expect(
          instance.cache.fetch(key('l1-stale'), () => Promise.reject(new ServiceUnavailableException())),
        ).resolves.toEqual({ value: 'stale', staleSince: expect.any(Number) });
      });
    });

    describe('bump', () => {
      it('should make what was built under the old version unreachable, and nothing else', async () => {
        await instance.cache.getOrLoad(key('l1-v'), loader('old'));
        await instance.cache.getOrLoad(key('l1-other'), loader('kept'));
        const { stamp } = await instance.cache.fetch(key('l1-v'), loader('unused'));

        await instance.cache.bump('dep:l1-v');

        expect(instance.cache.isCurrent(stamp!)).toBe(false);
        await expect(instance.cache.getOrLoad(key('l1-v'), loader('new'))).resolves.toBe('new');
        await expect(instance.cache.getOrLoad(key('l1-other'), loader('reloaded'))).resolves.toBe('kept');
      });
    });
  });

  describe('with caching off (CACHE_ENABLED=false)', () => {
    let instance: CacheInstance;

    beforeAll(async () => {
      instance = await startCacheInstance({ cache: { enabled: false } });
    });

    afterAll(async () => {
      await instance.moduleRef.close();
    });

    describe('getOrLoad', () => {
      it('should call load() every time, returning its value as is', async () => {
        const value = { at: new Date(0) };
        const load = loader(value);

        await expect(instance.cache.getOrLoad(key('off'), load)).resolves.toBe(value);
        await expect(instance.cache.getOrLoad(key('off'), load)).resolves.toBe(value);

        expect(load).toHaveBeenCalledTimes(2);
      });
    });

    describe('bump', () => {
      it('should do nothing', async () => {
        await expect(instance.cache.bump('dep:off')).resolves.toBeUndefined();
        await expect(instance.cache.fetch(key('off'), loader('x'))).resolves.toEqual({ value: 'x' });
      });
    });

    describe('status', () => {
      it('should report the cache disabled', () => {
        expect(instance.cache.status()).toEqual(
          expect.objectContaining({ redis: 'disabled', l1: expect.objectContaining({ enabled: false, entries: 0 }) }),
        );
      });
    });
  });
});
