import { loadConfig, type AppConfig } from '@app/config';
import { ConfigModule } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { CacheService, CachingModule } from '../src';

export interface CacheOverrides {
  redis?: AppConfig['redis'];
  cache?: Partial<AppConfig['cache']>;
}

export interface CacheInstance {
  moduleRef: TestingModule;
  cache: CacheService;
}

/** A `CachingModule` as one application instance would have it, over the test environment's config. */
export async function startCacheInstance(overrides: CacheOverrides = {}): Promise<CacheInstance> {
  const base = loadConfig();
  const config: AppConfig = {
    ...base,
    redis: overrides.redis === undefined ? base.redis : overrides.redis,
    cache: { ...base.cache, ...overrides.cache },
  };
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }), CachingModule],
  }).compile();
  await moduleRef.init();
  return { moduleRef, cache: moduleRef.get(CacheService) };
}

/** The name a cache key or channel has in Redis: the deployment's keyspace in front (RedisConnection). */
export function redisName(key: string): string {
  return `${loadConfig().cache.keyspace}:${key}`;
}

/** A per-run marker for keys and namespaces, so concurrent test runs sharing one Redis never collide. */
export function uniqueRunId(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key containing `runId` (the tests' keys live a day past their TTL for stale-if-error). */
export async function deleteRunKeys(url: string, runId: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `*pn:*${runId}*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms; the elapsed ms once true, or throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
  return Date.now() - started;
}

/** Resolves to what `promise` resolves to; fails if that took longer than `ms`. */
export async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  const started = Date.now();
  const value = await promise;
  const took = Date.now() - started;
  if (took > ms) throw new Error(`took ${took} ms (limit ${ms} ms)`);
  return value;
}
