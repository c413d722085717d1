import request from 'supertest';
import type { TestApp as TestAppType } from './support/test-app';

const FRONTEND = 'https://app.example.com';

/** Parses a Content-Security-Policy header into its directives, so a test reads one at a time. */
function directives(policy: string | undefined): Record<string, string> {
  return Object.fromEntries(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name, values.join(' ')];
      }),
  );
}

/** The headers every response carries, in production configuration (README.md, Security). */
describe('Security headers', () => {
  let app: TestAppType;

  beforeAll(async () => {
    // Config is read when the app module is first imported: set it before the dynamic import.
    Object.assign(process.env, {
      NODE_ENV: 'production',
      JWT_SECRET: 'Zx8-Qw3_Lm9!Rt5#Yp2$Kd7%Hb4^Nc6&Vf',
      CORS_ORIGINS: FRONTEND,
      MONITORING_TOKEN: 'security-headers-monitoring-token',
      SHUTDOWN_GRACE_MS: '0',
    });
    const { TestApp } = await import('./support/test-app');
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app?.close();
  });

  const API_HEADERS = {
    'content-security-policy': "default-src 'none';frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };

  it.each([
    ['a read', '/api/tags', 200],
    ['an error', '/api/user', 401],
    ['an unknown route', '/api/nothing-here', 404],
    ['a probe', '/health/live', 200],
    ['a malformed URL, refused by Fastify before routing', '/api/profiles/%E0%A4%A', 400],
    ['the metrics, refused without the token', '/metrics', 401],
  ])('should send the API headers on %s (%s)', async (_what, path, status) => {
    const res = await request(app.server).get(path);
    expect(res.status).toBe(status);
    expect(res.headers).toEqual(expect.objectContaining(API_HEADERS));
    for (const absent of ['x-powered-by', 'x-xss-protection', 'x-dns-prefetch-control', 'x-download-options']) {
      expect(res.headers).not.toHaveProperty(absent);
    }
  });

  it('should give /docs a policy of its own: same-origin files, no inline script, no https upgrade', async () => {
    const res = await request(app.server).get('/docs');
    expect(res.status).toBe(200);
    const policy = directives(res.headers['content-security-policy']);
    expect(policy).toEqual(
      expect.objectContaining({
        'default-src': "'self'",
        'script-src': "'self'",
        'script-src-attr': "'none'",
        'style-src': "'self' 'unsafe-inline'",
        'img-src': "'self' data:",
        'object-src': "'none'",
        'frame-ancestors': "'self'",
      }),
    );
    expect(policy).not.toHaveProperty('upgrade-insecure-requests');
  });

  it('should allow the configured origin only', async () => {
    const allowed = await request(app.server).get('/api/tags').set('Origin', FRONTEND);
    expect(allowed.headers['access-control-allow-origin']).toBe(FRONTEND);
    const other = await request(app.server).get('/api/tags').set('Origin', 'https://evil.example');
    expect(other.status).toBe(200);
    expect(other.headers).not.toHaveProperty('access-control-allow-origin');
  });
});
