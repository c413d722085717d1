import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp } from '../../../scripts/lib/app-process.mjs';

/**
 * `npm start` on a machine with Node alone: no DB_HOST, so the built app starts an embedded
 * PostgreSQL (PGlite), migrates and seeds it, and serves /docs. Runs the real built server.
 */
describe('Embedded default database', () => {
  let dataDir: string | undefined;
  let app: RunningApp | undefined;

  // Made here, not at module load: a filtered run (-t) skips hooks of a describe it selects no test
  // from, and would leak a directory made at load.
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'prepnexus-pglite-'));
  });

  afterAll(async () => {
    await app?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('should boot without DB_HOST, serve /docs-json and seeded articles, and handle concurrent requests', async () => {
    app = await startApp(
      { NODE_ENV: 'development', DB_HOST: '', REDIS_HOST: '', EMBEDDED_DB_DIR: dataDir!, LOG_LEVEL: 'info' },
      { output: 'capture' },
    );
    const docs = await fetch(`${app.baseUrl}/docs-json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { openapi: string }).openapi).toMatch(/^3\./);

    // Reads and writes at once through the pool: PGlite is one session underneath.
    const register = (i: number) =>
      fetch(`${app!.baseUrl}/api/users`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { username: `dev${i}`, email: `dev${i}@example.com`, password: 'password123' } }),
      });
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => register(i)),
      ...Array.from({ length: 20 }, () => fetch(`${app!.baseUrl}/api/articles?limit=5`)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([...Array(20).fill(200), ...Array(10).fill(201)].sort());
    const list = (await (await fetch(`${app.baseUrl}/api/articles?limit=1`)).json()) as { articlesCount: number };
    expect(list.articlesCount).toBeGreaterThanOrEqual(200);
    expect(app.output()).toContain('EMBEDDED DEVELOPMENT DATABASE');
    // A clean shutdown exits 0 (the embedded server closed too), not by the SIGKILL sent after 15 s.
    await expect(app.stop()).resolves.toBe(0);
  }, 120_000);
});
