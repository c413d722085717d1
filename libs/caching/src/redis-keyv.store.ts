import { clearKeyspace } from '@app/redis';
import type { Redis } from 'ioredis';
import { Keyv, type KeyvStoreAdapter, type StoredData } from 'keyv';
import { EventEmitter } from 'node:events';

/**
 * Keyv's storage adapter over the shared ioredis connection (`@keyv/redis` needs node-redis), which stays
 * the application's to close (no `disconnect`). Errors are thrown, never swallowed: the breaker sees them.
 */
export class RedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = {};

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

  async clear(): Promise<void> {
    await clearKeyspace(this.client, this.keyspace);
  }
}

/** The Keyv handed to cache-manager: keys as built, values as they are (Redis expires them: no envelope). */
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
