import type { Browser, Page, Response } from 'playwright-core';
import { APP_HOST_NAME, launchChromium } from './support/chromium';
import type { TestApp as TestAppType } from './support/test-app';

interface OpenApiDoc {
  tags?: { name: string }[];
  paths: Record<string, Record<string, { tags?: string[] }>>;
}

/** Every tag a reader of the document can see: the declared ones and those its operations carry. */
function tagsOf(doc: OpenApiDoc): string[] {
  const declared = (doc.tags ?? []).map((tag) => tag.name);
  const used = Object.values(doc.paths).flatMap((operations) =>
    Object.values(operations).flatMap((operation) => operation.tags ?? []),
  );
  return [...new Set([...declared, ...used])].sort();
}

// Chromium's note that COOP applies only to https (or loopback) pages: the header is for deployments,
// which are https; everything else the browser reports counts.
const HTTP_ONLY_NOTICE =
  /^The Cross-Origin-Opener-Policy header has been ignored, because the URL's origin was untrustworthy/;

/**
 * Swagger UI as a developer uses it: a real Chromium on the production app (createApp, listening on a
 * port) in production configuration, so the page runs under the headers and CSP a deployment sends.
 */
describe('Swagger UI at /docs in a browser', () => {
  let app: TestAppType;
  let browser: Browser;
  let page: Page;
  let docs: Response | null;
  let baseUrl: string;
  // What the browser reports as an error (CSP refusals are errors), script errors and failed loads.
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    // Config is read when the app module is first imported: set it before the dynamic import.
    Object.assign(process.env, {
      NODE_ENV: 'production',
      JWT_SECRET: 'Zx8-Qw3_Lm9!Rt5#Yp2$Kd7%Hb4^Nc6&Vf',
      CORS_ORIGINS: 'https://app.example.com',
      MONITORING_TOKEN: 'swagger-ui-monitoring-token',
      SHUTDOWN_GRACE_MS: '0',
    });
    const { TestApp } = await import('./support/test-app');
    app = await TestApp.start();
    await app.truncate();
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    // Served over plain http by a host name, the least trusted way a browser can reach it.
    baseUrl = (await app.app.getUrl()).replace('127.0.0.1', APP_HOST_NAME);

    page = await browser.newPage();
    // A step that cannot happen fails naming the element it waited for, well inside Jest's timeout.
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && !HTTP_ONLY_NOTICE.test(text)) problems.push(text);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (req) => problems.push(`failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
    docs = await page.goto(`${baseUrl}/docs`);
    await page.locator('.swagger-ui .opblock-tag-section').first().waitFor();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('should render under the production CSP, with nothing refused or failing', async () => {
    expect(docs?.status()).toBe(200);
    const docsPolicy = (await docs?.allHeaders())?.['content-security-policy'];
    expect(docsPolicy).toContain("script-src 'self';");
    // The API keeps its own, strictest policy.
    const api = await fetch(`${await app.app.getUrl()}/api/tags`);
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");

    await expect(page.locator('.swagger-ui .info .title').textContent()).resolves.toContain('PrepNexus API');
    expect(problems).toEqual([]);
  });

  it('should list every tag of the OpenAPI document', async () => {
    const expected = tagsOf((await (await fetch(`${await app.app.getUrl()}/docs-json`)).json()) as OpenApiDoc);
    expect(expected).toEqual(expect.arrayContaining(['User and Authentication', 'Articles', 'health']));

    const shown = await page
      .locator('.opblock-tag-section h3.opblock-tag')
      .evaluateAll((headings) => headings.map((heading) => heading.getAttribute('data-tag')));
    expect([...shown].sort()).toEqual(expected);
  });

  it("should authorize with a registered user's token and Try it out on GET /api/user: 200 with that user", async () => {
    const { token, username, email } = await app.register('docs-reader');

    await page.locator('.auth-wrapper button.authorize').click();
    // The RealWorld scheme (an API key sent as typed, prefix included), not the monitoring one.
    const tokenScheme = page
      .locator('.modal-ux .auth-container')
      .filter({ has: page.locator('h4 code', { hasText: /^Token$/ }) });
    await tokenScheme.locator('input').fill(`Token ${token}`);
    await tokenScheme.getByRole('button', { name: 'Apply credentials' }).click();
    await tokenScheme.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await tokenScheme.getByRole('button', { name: 'Close' }).click();

    const operation = page
      .locator('.opblock-get')
      .filter({ has: page.locator('.opblock-summary-path[data-path="/api/user"]') });
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const sent = page.waitForRequest((req) => req.url() === `${baseUrl}/api/user` && req.method() === 'GET');
    await operation.getByRole('button', { name: 'Execute' }).click();
    expect((await sent).headers()['authorization']).toBe(`Token ${token}`);

    // The live response as rendered: its status and its highlighted body (headers are a block of their own).
    const response = operation.locator('.live-responses-table tr.response');
    await expect(response.locator('.response-col_status').textContent()).resolves.toBe('200');
    const body = JSON.parse((await response.locator('.highlight-code pre').textContent()) ?? '') as unknown;
    expect(body).toEqual({ user: { username, email, token: expect.any(String), bio: null, image: null } });
    expect(problems).toEqual([]);
  });
});
