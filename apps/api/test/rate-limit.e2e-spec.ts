import type { TestApp as TestAppType } from './support/test-app';

/** Credential endpoints are rate limited per client; the limit lives in Redis (shared by instances). */
describe('Rate limits on credentials', () => {
  let sut: TestAppType;

  beforeAll(async () => {
    // Config is read when the app module is first imported: set it before the dynamic import.
    process.env.AUTH_RATE_LIMIT_PER_MIN = '3';
    // A keyspace of its own, so counters left in Redis by an earlier run cannot interfere.
    process.env.CACHE_KEYSPACE = `ratelimit-${Date.now()}`;
    const { TestApp } = await import('./support/test-app');
    sut = await TestApp.start();
    await sut.truncate();
  });
  afterAll(async () => {
    await sut.close();
  });

  it('should answer the attempt over the limit with 429, Retry-After and the error envelope', async () => {
    const attempt = () =>
      sut.call('post', '/api/users/login', { body: { user: { email: 'x@example.com', password: 'wrong-password' } } });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(422);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toEqual({ errors: { body: ['Too many attempts, retry later'] } });
  });

  it('should count register separately and leave other routes alone', async () => {
    const { token } = await sut.register('limited');
    expect((await sut.call('get', '/api/user', { token })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await sut.call('get', '/api/user', { token })).status).toBe(200);
  });
});
