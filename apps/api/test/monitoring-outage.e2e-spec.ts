import type { DatabaseService, DatabaseUnavailableException } from '@app/database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import type { PrivatePostgres } from '../../../test-support/private-postgres';
import { startAppOnPrivatePostgres, stopAppOnPrivatePostgres } from './support/app-on-private-postgres';

/**
 * Stops and restarts PostgreSQL under a running app. It uses a private cluster on its own port:
 * the machine's shared server is used by other tests at the same time and is never stopped.
 */
describe('PostgreSQL outage', () => {
  let pg: PrivatePostgres | undefined;
  let app: NestFastifyApplication | undefined;
  let database: DatabaseService;
  let Unavailable: typeof DatabaseUnavailableException;
  let users = 0;

  const server = () => app!.getHttpServer();
  const register = () => {
    users++;
    const user = { username: `outage${users}`, email: `outage${users}@example.com`, password: 'password123' };
    return request(server()).post('/api/users').send({ user });
  };
  /** Polls `probe` until it is true; answers the milliseconds it took, or fails after `limitMs`. */
  const within = async (limitMs: number, probe: () => Promise<boolean>): Promise<number> => {
    const started = performance.now();
    while (!(await probe())) {
      if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
      await delay(50);
    }
    return performance.now() - started;
  };
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await work();
    return [result, performance.now() - started];
  };

  beforeAll(async () => {
    ({ pg, app } = await startAppOnPrivatePostgres());
    const db = await import('@app/database');
    database = app.get(db.DatabaseService);
    Unavailable = db.DatabaseUnavailableException;
  }, 60_000);

  afterAll(async () => {
    await stopAppOnPrivatePostgres(app, pg);
  }, 30_000);

  describe('while PostgreSQL runs', () => {
    it('should be ready and serve writes', async () => {
      const ready = await request(server()).get('/health/ready');
      const created = await register();

      expect(ready.status).toBe(200);
      expect(created.status).toBe(201);
    });
  });

  describe('when PostgreSQL stops', () => {
    beforeAll(async () => {
      // TypeORM warns on console for each pooled connection the shutdown cuts: expected here.
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      await pg!.stop();
    }, 30_000);
    afterAll(() => {
      jest.restoreAllMocks();
    });

    it('should report the database down on /health within 2 s, naming it', async () => {
      const took = await within(2000, async () => (await request(server()).get('/health')).status === 503);
      const res = await request(server()).get('/health');

      expect(took).toBeLessThan(2000);
      expect(res.body).toEqual({
        status: 'error',
        // Migrations were verified at boot; an outage does not un-apply them.
        // Redis is untouched by a PostgreSQL outage.
        info: expect.objectContaining({
          shutdown: { status: 'up' },
          migrations: { status: 'up', pending: [] },
          redis: expect.objectContaining({ status: 'up', state: 'up' }),
        }),
        error: { database: { status: 'down', message: expect.any(String), breaker: expect.any(String) } },
        details: expect.objectContaining({ database: expect.objectContaining({ status: 'down' }) }),
      });
    });

    it('should stay ready: every pod shares the outage, and the app answers it itself (503 + Retry-After)', async () => {
      const res = await request(server()).get('/health/ready');

      expect(res.status).toBe(200);
      const indicators = { shutdown: { status: 'up' }, bootstrap: { status: 'up' }, migrations: { status: 'up' } };
      expect(res.body).toEqual({ status: 'ok', info: indicators, error: {}, details: indicators });
    });

    it('should keep liveness 200', async () => {
      const res = await request(server()).get('/health/live');

      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
    });

    it('should fail database work fast with DatabaseUnavailableException, then open the breaker', async () => {
      for (let i = 0; i < 5; i++) {
        const [outcome, took] = await timed(() =>
          database.query('SELECT 1').then(
            () => 'answered',
            (err: unknown) => err,
          ),
        );
        expect(outcome).toBeInstanceOf(Unavailable);
        expect((outcome as DatabaseUnavailableException).retryAfterSeconds).toBe(2);
        expect(took).toBeLessThan(1000);
      }
      expect(database.breakerState).toBe('open');
      await expect(database.query('SELECT 1')).rejects.toBeInstanceOf(Unavailable);
    });

    it('should answer a write with 503 and Retry-After within 1 s', async () => {
      const [res, took] = await timed(() => register().then((r) => r));

      expect(took).toBeLessThan(1000);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body).toEqual({ errors: { database: ['is temporarily unavailable, retry later'] } });
    });

    it('should report the primary down on /api/monitoring/database/health (503, never 500)', async () => {
      const [res, took] = await timed(() =>
        request(server())
          .get('/api/monitoring/database/health')
          .then((r) => r),
      );

      expect(took).toBeLessThan(2000);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: 'down',
        checkedAt: expect.any(String),
        primary: { status: 'down', latencyMs: null, message: expect.any(String), pool: expect.any(Object) },
        replicas: [],
        breaker: {
          state: 'open',
          failures: expect.any(Number),
          rejects: expect.any(Number),
          successes: expect.any(Number),
        },
        migrations: { pending: [] },
        backup: {
          status: 'none',
          message: 'no backup recorded (BACKUP_DIR is not set)',
          lastVerifiedAt: null,
        },
      });
      expect(res.body.breaker.rejects).toBeGreaterThan(0);
    });

    it('should expose the open breaker in /metrics', async () => {
      const res = await request(server()).get('/metrics');

      expect(res.status).toBe(200);
      expect(res.text).toMatch(/^db_breaker_state 2$/m);
    });
  });

  describe('when PostgreSQL starts again', () => {
    beforeAll(async () => {
      await pg!.start();
    }, 30_000);

    it('should report healthy and serve database work again within 5 s, in the same process', async () => {
      const readyIn = await within(5000, async () => (await request(server()).get('/health')).status === 200);
      const queriesIn = await within(5000, () =>
        database.query('SELECT 1').then(
          () => true,
          () => false,
        ),
      );
      const created = await register();

      expect(readyIn).toBeLessThan(5000);
      expect(queriesIn).toBeLessThan(5000);
      expect(created.status).toBe(201);
      expect(database.breakerState).toBe('closed');
    });
  });
});
