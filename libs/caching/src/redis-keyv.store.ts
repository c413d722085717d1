import { clearKeyspace } from '@app/redis';
import type { Redis } from 'ioredis';
import { Keyv, type KeyvStoreAdapter, type StoredData } from 'keyv';
import { EventEmitter } from 'node:events';

/**
 * Keyv's storage adapter over the shared ioredis connection (what `@keyv/redis` does over node-redis),
 * so cache-manager's L2 runs on the same connection as the bus and the rate limits. Errors are thrown,
 * never swallowed: the breaker above must see them. TTLs are milliseconds (Keyv's unit).
 */
export class RedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = {};
  namespace?: string;

  constructor(
    private readonly client: Redis,
    /** This deployment's keyspace: what `clear()` empties, and nothing else of a shared Redis. */
    private readonly keyspace: string,
  ) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return ((await this.client.get(key)) ?? undefined) as StoredData<Value> | undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.client.set(key, value);
    else await this.client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.del(key)) > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return keys.length > 0 && (await this.client.del(...keys)) > 0;
  }

  async clear(): Promise<void> {
    await clearKeyspace(this.client, this.keyspace);
  }

  /** The connection belongs to the application (`RedisConnection`), closed after the server drained. */
  async disconnect(): Promise<void> {}
}

/** The Keyv handed to cache-manager. Keys are used as built and Redis expires them (PX): no prefix, no envelope. */
export function keyvOver(client: Redis, keyspace: string): Keyv {
  const keyv = new Keyv({
    store: new RedisKeyvStore(client, keyspace),
    useKeyPrefix: false,
    serialize: ({ value }) => value as string,
    deserialize: (value) => ({ value: value as never }),
    throwOnErrors: true,
  });
  keyv.on('error', () => undefined);
  return keyv;
}
