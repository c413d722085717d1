import { loadConfig } from '@app/config';
import { Redis } from 'ioredis';
import { uniqueKeyspace } from '../test/caching-testing';
import type { KeyvStoreAdapter } from 'keyv';
import { redisKeyvStore } from './redis-keyv.store';

// Against the real, shared Redis, in a keyspace of the test's own.
describe(redisKeyvStore.name, () => {
  const keyspace = `${uniqueKeyspace()}:`;
  const neighbour = `${uniqueKeyspace()}:`;
  let client: Redis;
  let sut: KeyvStoreAdapter;

  beforeAll(() => {
    client = new Redis(loadConfig().redis?.url ?? 'redis://127.0.0.1:6379');
    sut = redisKeyvStore(client, keyspace);
  });

  afterAll(async () => {
    await client.del(`${neighbour}kept`);
    await sut.clear();
    client.disconnect();
  });

  it('should store the value as is, expiring after the TTL in milliseconds (Keyv unit)', async () => {
    await sut.set(`${keyspace}a`, '{"x":1}', 1500);
    await expect(sut.get(`${keyspace}a`)).resolves.toBe('{"x":1}');
    const ttl = await client.pttl(`${keyspace}a`);
    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(1500);
  });

  it('should answer undefined for a missing key, and delete a key', async () => {
    await expect(sut.get(`${keyspace}missing`)).resolves.toBeUndefined();
    await sut.set(`${keyspace}b`, 'b', 10_000);
    await expect(sut.delete(`${keyspace}b`)).resolves.toBe(true);
    await expect(sut.delete(`${keyspace}b`)).resolves.toBe(false);
    await expect(client.exists(`${keyspace}b`)).resolves.toBe(0);
  });

  it("should clear its own keyspace only, never a neighbour's", async () => {
    await sut.set(`${keyspace}d`, 'd', 10_000);
    await client.set(`${neighbour}kept`, 'x', 'PX', 10_000);
    await sut.clear();
    await expect(client.exists(`${keyspace}d`)).resolves.toBe(0);
    await expect(client.exists(`${neighbour}kept`)).resolves.toBe(1);
  });

  it('should throw on Redis errors instead of answering a miss (the breaker must see them)', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false });
    await expect(redisKeyvStore(down, keyspace).get(`${keyspace}a`)).rejects.toThrow();
    down.disconnect();
  });
});
