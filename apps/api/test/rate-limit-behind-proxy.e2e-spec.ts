import { randomUUID } from 'node:crypto';
import {
  clearRateLimitCounters,
  DEFAULT_AUTH_LIMIT_PER_MINUTE,
  failedLogin,
  TOO_MANY_ATTEMPTS,
} from './support/rate-limits';
import type { TestApp as TestAppType } from './support/test-app';

/**
 * Behind one proxy (the ingress: TRUST_PROXY=1, as docker/k8s/configmap.yaml deploys it), the client is
 * the address the proxy appends to X-Forwarded-For. What the client wrote there itself changes nothing.
 */
describe('Rate limits on credentials behind one trusted proxy', () => {
  let app: TestAppType;
  let clearCounters: () => Promise<void>;
  // The proxy appends the address it saw to whatever the client sent.
  const viaProxy = (client: string, sentByClient?: string) => ({
    'X-Forwarded-For': sentByClient === undefined ? client : `${sentByClient}, ${client}`,
  });

  beforeAll(async () => {
    // Config is read when the app module is first imported: set it before the dynamic import.
    delete process.env.AUTH_RATE_LIMIT_PER_MIN;
    process.env.TRUST_PROXY = '1';
    process.env.CACHE_KEYSPACE = `${process.env.DB_NAME}-ratelimit-proxy-${randomUUID().slice(0, 8)}`;
    const { TestApp } = await import('./support/test-app');
    const { RedisConnection } = await import('@app/redis');
    app = await TestApp.start();
    clearCounters = () => clearRateLimitCounters(app.app.get(RedisConnection));
  });
  afterAll(async () => {
    await clearCounters?.();
    await app?.close();
  });

  it('should count by the address the proxy reports, whatever the client prepends', async () => {
    for (let i = 0; i < DEFAULT_AUTH_LIMIT_PER_MINUTE; i++) {
      expect((await failedLogin(app, viaProxy('198.51.100.7', `203.0.113.${i}`))).status).toBe(422);
    }
    for (const sentByClient of [undefined, '203.0.113.200', '198.51.100.8', '198.51.100.8, 198.51.100.9']) {
      const blocked = await failedLogin(app, viaProxy('198.51.100.7', sentByClient));
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.body).toEqual(TOO_MANY_ATTEMPTS);
    }
    // Another client behind the same proxy has its own count: the proxy's own address is not the client.
    expect((await failedLogin(app, viaProxy('198.51.100.8'))).status).toBe(422);
  });
});
