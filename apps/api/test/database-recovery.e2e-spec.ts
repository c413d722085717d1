import type { DatabaseService } from '@app/database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import request from 'supertest';
import type { PrivatePostgres } from '../../../test-support/private-postgres';
import { startAppOnPrivatePostgres, stopAppOnPrivatePostgres } from './support/app-on-private-postgres';

const POLL_MS = 20;

/**
 * Recovery without a tail: once PostgreSQL accepts connections again, the API takes reads and writes
 * within a second (it used to answer 503 for 1.2–1.9 s more, until the breaker's resetTimeout let a
 * request probe). On a private cluster: the machine's shared server is never stopped.
 */
describe('PostgreSQL recovery', () => {
  let pg: PrivatePostgres | undefined;
  let app: NestFastifyApplication | undefined;
  let database: DatabaseService;
  let attempts = 0;

  const server = () => app!.getHttpServer();
  // Never the same URL twice: a read no cache tier can answer, so it needs PostgreSQL.
  const read = () => request(server()).get(`/api/articles?author=nobody&offset=${++attempts}`);
  const write = () => {
    const name = `recovery${++attempts}`;
    return request(server())
      .post('/api/users')
      .send({ user: { username: name, email: `${name}@example.com`, password: 'password123' } });
  };
  const accepts = async (): Promise<boolean> => {
    const client = new Client({ host: '127.0.0.1', port: pg!.port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  /** performance.now() when `probe` first holds, polling every POLL_MS; fails after `limitMs`. */
  const firstTime = async (limitMs: number, probe: () => Promise<boolean>): Promise<number> => {
    const started = performance.now();
    while (!(await probe())) {
      if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
      await delay(POLL_MS);
    }
    return performance.now();
  };

  beforeAll(async () => {
    ({ pg, app } = await startAppOnPrivatePostgres());
    database = app.get((await import('@app/database')).DatabaseService);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined); // TypeORM, for each connection cut
  }, 60_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await stopAppOnPrivatePostgres(app, pg);
  }, 30_000);

  it('should answer 503 + Retry-After while PostgreSQL is down, then reads and writes within 1 s of it answering', async () => {
    expect((await read()).status).toBe(200);
    expect((await write()).status).toBe(201);
    await pg!.stop();

    // Traffic through the outage, long enough for the breaker to open and (resetTimeout 2 s) be probed again.
    const outageEnds = performance.now() + 2500;
    let lastRead = await read();
    let lastWrite = await write();
    while (performance.now() < outageEnds) {
      [lastRead, lastWrite] = await Promise.all([read(), write()]);
      await delay(POLL_MS);
    }
    expect(database.breakerState).not.toBe('closed');
    for (const res of [lastRead, lastWrite]) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    }

    // Who sees PostgreSQL back first: a raw client (the reference), a read and a write through the app.
    const starting = pg!.start();
    const [acceptedAt, readAt, writeAt] = await Promise.all([
      firstTime(30_000, accepts),
      firstTime(30_000, async () => (await read()).status === 200),
      firstTime(30_000, async () => (await write()).status === 201),
    ]);
    await starting;
    const readAfterMs = Math.round(readAt - acceptedAt);
    const writeAfterMs = Math.round(writeAt - acceptedAt);
    process.stdout.write(
      `PostgreSQL back → first read 200 after ${readAfterMs} ms, first write 201 after ${writeAfterMs} ms\n`,
    );

    expect(readAfterMs).toBeLessThan(1000);
    expect(writeAfterMs).toBeLessThan(1000);
    expect(database.breakerState).toBe('closed');
  }, 60_000);

  it('should let requests through as soon as /health says the database is up (one source of truth)', async () => {
    await pg!.stop();
    while ((await write()).status !== 503) await delay(POLL_MS);
    // Failures until the breaker opens (its error rate is over a rolling window that still holds the last test).
    await firstTime(10_000, async () => (await read()).status === 503 && database.breakerState === 'open');
    await pg!.start();

    await firstTime(10_000, async () => (await request(server()).get('/health')).status === 200);
    const [afterReady, readAfterReady] = await Promise.all([write(), read()]);

    expect(database.breakerState).toBe('closed');
    expect(afterReady.status).toBe(201);
    expect(readAfterReady.status).toBe(200);
  }, 60_000);
});
