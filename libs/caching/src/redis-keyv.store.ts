import { clearKeyspace } from '@app/redis';
import type { Redis } from 'ioredis';
import { Keyv, type KeyvStoreAdapter, type StoredData } from 'keyv';
import { EventEmitter } from 'node:events';

/**
 * Keyv's storage adapter over the shared ioredis connection (`@keyv/redis` needs node-redis), the application's to
 * close (no `disconnect`). Errors are thrown for the breaker to see; `clear()` empties this deployment's keyspace only.
 */
export function redisKeyvStore(client: Redis, keyspace: string): KeyvStoreAdapter {
  return Object.assign(new EventEmitter(), {
    opts: {},
    get: async <Value>(key: string) => ((await client.get(key)) ?? undefined) as StoredData<Value> | undefined,
    set: async (key: string, value: string, ttlMs?: number) =>
      ttlMs === undefined ? client.set(key, value) : client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs))),
    delete: async (key: string) => (await client.del(key)) > 0,
    clear: () => clearKeyspace(client, keyspace).then(() => undefined),
  });
}

/** The Keyv handed to cache-manager: keys as built, values as they are (Redis expires them: no envelope). */
export function keyvOver(client: Redis, keyspace: string): Keyv {
  return new Keyv({
    store: redisKeyvStore(client, keyspace),
    useKeyPrefix: false,
    serialize: ({ value }) => value as string,
    deserialize: (value) => ({ value: value as never }),
    throwOnErrors: true,
  }).on('error', () => undefined);
}
