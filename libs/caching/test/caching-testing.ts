import { loadConfig, type AppConfig } from '@app/config';
import { ConfigModule } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
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
export function redisName(key: string, keyspace = loadConfig().cache.keyspace): string {
  return `${keyspace}:${key}`;
}

/**
 * A keyspace of the test's own, under the run's: concurrent runs sharing one Redis never collide, and
 * `CacheService.clear()` at the end removes exactly what the test wrote (entries outlive their TTL
 * by a day, for stale-if-error).
 */
export function uniqueKeyspace(): string {
  return `${loadConfig().cache.keyspace}-test-${randomUUID().slice(0, 8)}`;
}

/** A promise and its resolver: the test decides when work finishes or proceeds, no timing guesses. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
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
