import type { RedisConnection } from '@app/redis';
import type { ApiResponse, TestApp } from './test-app';

/** The limit README.md and .env.example document when AUTH_RATE_LIMIT_PER_MIN is not set. */
export const DEFAULT_AUTH_LIMIT_PER_MINUTE = 20;
export const TOO_MANY_ATTEMPTS = { errors: { body: ['Too many attempts, retry later'] } };

/** A login that fails validation of the credentials (422): an attempt the limit counts. */
export function failedLogin(instance: TestApp, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return instance.call('post', '/api/users/login', {
    body: { user: { email: 'x@example.com', password: 'wrong-password' } },
    headers,
  });
}

/**
 * The counters' keys are `{<keyspace>:throttle:<client>:default}:hits` (and `:blocked`): the storage
 * library wraps the key it is given in a Redis Cluster hash tag, so they sit outside the `<keyspace>:`
 * prefix that emptying the cache keyspace removes.
 */
export async function clearRateLimitCounters(redis: RedisConnection): Promise<void> {
  const keys = await redis.client!.keys(`{${redis.keyspace}throttle:*`);
  if (keys.length > 0) await redis.client!.unlink(...keys);
}
