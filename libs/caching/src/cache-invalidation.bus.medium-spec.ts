import { RedisTestServer } from '../../../test-support/redis-test-server';
import { startCacheInstance, waitFor, within, type CacheInstance } from '../test/caching-testing';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import { articleKey } from './cache-keys';
import { RedisConnection } from './redis-connection';

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

  it('should be confirmed once booted', () => {
    expect(instance().moduleRef.get(CacheInvalidationBus).confirmed).toBe(true);
    expect(instance().cache.localTierActive).toBe(true);
  });

  it('should turn the in-process tiers off when the subscription silently stops, and empty them when heard again', async () => {
    const { cache, moduleRef } = instance();
    const key = articleKey(`silent-${++n}`);
    await cache.getOrLoad(key, () => Promise.resolve('old'));
    const subscriber = moduleRef.get(RedisConnection).subscriber;
    if (subscriber === null) throw new Error('no subscriber');

    // No error, no closed socket: the subscriber just stops hearing anything.
    await subscriber.unsubscribe();
    const lapsedAfter = await waitFor(() => !cache.localTierActive, 2 * UNCONFIRMED_MAX_MS);
    expect(lapsedAfter).toBeLessThanOrEqual(UNCONFIRMED_MAX_MS + 50);
    expect(cache.status().l1.enabled).toBe(false);

    // A reconnection subscribes again: heard within a beat, L1 emptied of what it may have missed.
    subscriber.disconnect(true);
    await waitFor(() => cache.localTierActive, 2 * UNCONFIRMED_MAX_MS);
    expect(cache.status().l1.entries).toBe(0);
  });

  it('should close promptly while Redis is frozen', async () => {
    const { cache, moduleRef } = instance();
    await cache.getOrLoad(articleKey(`frozen-${++n}`), () => Promise.resolve('x'));
    server.pause();
    await waitFor(() => !cache.localTierActive, 2 * UNCONFIRMED_MAX_MS);

    await expect(within(1500, moduleRef.close())).resolves.toBeUndefined();
    sut = undefined;
  });
});
