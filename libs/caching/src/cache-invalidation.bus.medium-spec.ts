import { RedisTestServer } from '../../../test-support/redis-test-server';
import { redisName, startCacheInstance, waitFor, within, type CacheInstance } from '../test/caching-testing';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import { cacheKey, type CacheKey } from './cache-key';
import { Redis } from 'ioredis';
import { RedisConnection } from '@app/redis';

const UNCONFIRMED_MAX_MS = 400;

// The heartbeat on a private redis-server (never the shared one: these tests freeze it).
describe(CacheInvalidationBus.name, () => {
  let server: RedisTestServer;
  let sut: CacheInstance | undefined;
  let n = 0;

  beforeAll(async () => {
    server = await RedisTestServer.start();
  });

  beforeEach(async () => {
    sut = await startCacheInstance({ redis: { url: server.url }, cache: { unconfirmedMaxMs: UNCONFIRMED_MAX_MS } });
  });

  afterEach(async () => {
    server.resume();
    await sut?.moduleRef.close();
    sut = undefined;
  });

  afterAll(async () => {
    await server?.kill();
  });

  function instance(): CacheInstance {
    if (sut === undefined) throw new Error('instance not started');
    return sut;
  }

  function key(name: string): CacheKey {
    return cacheKey(`t:${name}`, `dep:${name}`);
  }

  /** Another instance's bump whose message never arrives: the version moves on in Redis only. */
  async function bumpSilently(name: string): Promise<void> {
    const redis = new Redis(server.url);
    try {
      await redis.hincrby(redisName('pn:versions'), `dep:${name}`, 1);
    } finally {
      redis.disconnect();
    }
  }

  /** A value 'old' cached under a new name on the instance, with its subscriber connection. */
  async function cachedOld(prefix: string) {
    const { cache, moduleRef } = instance();
    const name = `${prefix}-${++n}`;
    await cache.getOrLoad(key(name), () => Promise.resolve('old'));
    const subscriber = moduleRef.get(RedisConnection).subscriber;
    if (subscriber === null) throw new Error('no subscriber');
    return { cache, moduleRef, name, subscriber };
  }

  it('should be confirmed once booted, vouching for the versions it remembers', async () => {
    const { cache, moduleRef } = instance();
    expect(moduleRef.get(CacheInvalidationBus).confirmed).toBe(true);
    const { stamp } = await cache.fetch(key(`booted-${++n}`), () => Promise.resolve('x'));
    expect(stamp !== undefined && cache.isCurrent(stamp)).toBe(true);
  });

  it('should stop trusting remembered versions within the bound when the subscription silently stops', async () => {
    const { cache, moduleRef, name, subscriber } = await cachedOld('silent');

    // No error, no closed socket: the subscriber just stops hearing anything, and a bump goes unheard.
    await subscriber.unsubscribe();
    await bumpSilently(name);
    const seenAfter = await waitFor(
      async () => (await cache.getOrLoad(key(name), () => Promise.resolve('new'))) === 'new',
      4 * UNCONFIRMED_MAX_MS,
    );
    expect(seenAfter).toBeLessThanOrEqual(UNCONFIRMED_MAX_MS + 100);

    // A reconnection subscribes again: heard within a beat, and remembered versions are used again.
    subscriber.disconnect(true);
    await waitFor(() => moduleRef.get(CacheInvalidationBus).confirmed, 4 * UNCONFIRMED_MAX_MS);
    const { stamp } = await cache.fetch(key(name), () => Promise.resolve('unused'));
    expect(stamp !== undefined && cache.isCurrent(stamp)).toBe(true);
  });

  it('should forget remembered versions when the subscriber reconnects, however soon', async () => {
    const { cache, moduleRef, name, subscriber } = await cachedOld('reconnect');

    // A bump whose message went out while the subscriber was reconnecting: never heard.
    await bumpSilently(name);
    subscriber.disconnect(true);
    await waitFor(() => subscriber.status !== 'ready', 1000);
    await waitFor(() => subscriber.status === 'ready' && moduleRef.get(CacheInvalidationBus).confirmed, 1000);

    await expect(cache.getOrLoad(key(name), () => Promise.resolve('new'))).resolves.toBe('new');
  });

  it('should close promptly while Redis is frozen', async () => {
    const { cache, moduleRef } = instance();
    const { stamp } = await cache.fetch(key(`frozen-${++n}`), () => Promise.resolve('x'));
    server.pause();
    await waitFor(() => stamp !== undefined && !cache.isCurrent(stamp), 4 * UNCONFIRMED_MAX_MS);

    await expect(within(1500, moduleRef.close())).resolves.toBeUndefined();
    sut = undefined;
  });
});
