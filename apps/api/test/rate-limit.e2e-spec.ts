import { randomUUID } from 'node:crypto';
import type { TestApp as TestAppType } from './support/test-app';

/** Credential endpoints are rate limited per client; the limit lives in Redis, shared by every instance. */
describe('Rate limits on credentials', () => {
  let first: TestAppType;
  let second: TestAppType;

  beforeAll(async () => {
    // Config is read when the app module is first imported: set it before the dynamic import.
    process.env.AUTH_RATE_LIMIT_PER_MIN = '3';
    // A keyspace of its own, so counters left in Redis by an earlier run cannot interfere.
    process.env.CACHE_KEYSPACE = `${process.env.DB_NAME}-ratelimit-${randomUUID().slice(0, 8)}`;
    const { TestApp } = await import('./support/test-app');
    // Two instances of the app in one process, sharing only PostgreSQL and Redis.
    [first, second] = await Promise.all([TestApp.start(), TestApp.start()]);
    await first.truncate();
  });
  afterAll(async () => {
    await first?.resetCache(); // empties the keyspace, counters included
    await Promise.all([first?.close(), second?.close()]);
  });

  const login = (instance: TestAppType) =>
    instance.call('post', '/api/users/login', {
      body: { user: { email: 'x@example.com', password: 'wrong-password' } },
    });

  it('should count attempts across instances, and answer the one over the limit with 429', async () => {
    // Each instance alone has seen at most two attempts: only a shared counter reaches the limit.
    for (const instance of [first, second, first]) expect((await login(instance)).status).toBe(422);
    const blocked = await login(second);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toEqual({ errors: { body: ['Too many attempts, retry later'] } });
  });

  it('should count register separately and leave other routes alone', async () => {
    const { token } = await first.register('limited');
    for (let i = 0; i < 6; i++) expect((await first.call('get', '/api/user', { token })).status).toBe(200);
  });
});
