import type { AppConfig } from '@app/config';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import {
  clearRateLimitCounters,
  DEFAULT_AUTH_LIMIT_PER_MINUTE,
  failedLogin,
  TOO_MANY_ATTEMPTS,
} from './support/rate-limits';
import type { TestApp as TestAppType } from './support/test-app';

/**
 * Credential endpoints are rate limited per client, with the limit a deployment gets by default (the
 * other suites raise it: setup-env.ts, the fuzz suite). Counters live in Redis, shared by every instance.
 */
describe('Rate limits on credentials, default settings', () => {
  let first: TestAppType;
  let second: TestAppType;
  let clearCounters: () => Promise<void>;

  beforeAll(async () => {
    // Config is read when the app module is first imported: set it before the dynamic import.
    delete process.env.AUTH_RATE_LIMIT_PER_MIN;
    delete process.env.TRUST_PROXY;
    // A keyspace of its own, so counters left in Redis by an earlier run cannot interfere.
    process.env.CACHE_KEYSPACE = `${process.env.DB_NAME}-ratelimit-${randomUUID().slice(0, 8)}`;
    const { TestApp } = await import('./support/test-app');
    const { RedisConnection } = await import('@app/redis');
    // Two instances of the app in one process, sharing only PostgreSQL and Redis.
    [first, second] = await Promise.all([TestApp.start(), TestApp.start()]);
    await first.truncate();
    clearCounters = () => clearRateLimitCounters(first.app.get(RedisConnection));
  });
  beforeEach(async () => {
    await clearCounters(); // each test starts from zero
  });
  afterAll(async () => {
    await clearCounters?.();
    await Promise.all([first?.close(), second?.close()]);
  });

  it('should run with the documented defaults: 20 attempts a minute, X-Forwarded-For not trusted', () => {
    const config = first.app.get<ConfigService<AppConfig, true>>(ConfigService);
    expect(config.get('authRateLimitPerMinute', { infer: true })).toBe(DEFAULT_AUTH_LIMIT_PER_MINUTE);
    expect(config.get('trustProxy', { infer: true })).toBe(false);
  });

  it('should count attempts across instances, and answer every one over the limit with 429, Retry-After and the envelope', async () => {
    // Each instance alone sees half the attempts: only a shared counter reaches the limit.
    for (let i = 0; i < DEFAULT_AUTH_LIMIT_PER_MINUTE; i++) {
      expect((await failedLogin(i % 2 === 0 ? first : second)).status).toBe(422);
    }
    for (const instance of [first, second]) {
      const blocked = await failedLogin(instance);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(blocked.body).toEqual(TOO_MANY_ATTEMPTS);
    }
  });

  it('should not take a client-sent X-Forwarded-For as a new client', async () => {
    const spoofed = (i: number) => ({ 'X-Forwarded-For': `203.0.113.${i}` });
    for (let i = 0; i < DEFAULT_AUTH_LIMIT_PER_MINUTE; i++) {
      expect((await failedLogin(i % 2 === 0 ? first : second, spoofed(i))).status).toBe(422);
    }
    const blocked = await failedLogin(first, spoofed(200));
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual(TOO_MANY_ATTEMPTS);
  });

  it('should count register separately and leave other routes alone', async () => {
    for (let i = 0; i <= DEFAULT_AUTH_LIMIT_PER_MINUTE; i++) await failedLogin(first);
    expect((await failedLogin(second)).status).toBe(429);

    const { token } = await first.register('limited');
    for (let i = 0; i <= DEFAULT_AUTH_LIMIT_PER_MINUTE; i++) {
      expect((await second.call('get', '/api/user', { token })).status).toBe(200);
    }
  });
});
