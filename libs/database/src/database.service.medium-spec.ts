import { loadConfig, type AppConfig, type DatabaseConfig } from '@app/config';
import type { ConfigService } from '@nestjs/config';
import { DataSource, QueryFailedError } from 'typeorm';
import { PrivatePostgres } from '../../../test-support/private-postgres';
import { DatabasePools } from './database-pools';
import { DatabaseUnavailableException } from './database-unavailable.exception';
import { DatabaseService } from './database.service';
import { UserEntity } from './entities';
import { ReplicaRouter } from './replicas/replica-router';
import { WritePositions } from './replicas/write-positions';
import { buildDataSourceOptions } from './typeorm-options';
import { uniqueViolation } from './constraint-violation';

/** A DatabaseService on its own data source (the unit under test is the service, not Nest's wiring). */
async function serviceOn(db: DatabaseConfig): Promise<{ sut: DatabaseService; pools: DatabasePools; ds: DataSource }> {
  const ds = await new DataSource(buildDataSourceOptions(db)).initialize();
  const config = { get: () => db } as unknown as ConfigService<AppConfig, true>;
  const pools = new DatabasePools(ds);
  const replicas = new ReplicaRouter(config, new WritePositions());
  return { sut: new DatabaseService(ds, pools, replicas, config), pools, ds };
}

describe(DatabaseService.name, () => {
  describe('withManager, against the test database', () => {
    const db = loadConfig().db;
    let sut: DatabaseService;
    let pools: DatabasePools;
    let ds: DataSource;

    beforeAll(async () => ({ sut, pools, ds } = await serviceOn(db)));
    afterAll(() => ds.destroy());
    beforeEach(() => sut.query('TRUNCATE users RESTART IDENTITY CASCADE'));

    // A new object each time: manager.insert writes the generated id and timestamps into what it is given.
    const user = (email: string) => ({ email, username: 'a', passwordHash: 'h' });

    it('should run entity work and return its result', async () => {
      await sut.withManager((manager) => manager.insert(UserEntity, user('a@example.com')));
      await expect(sut.withManager((manager) => manager.countBy(UserEntity, { username: 'a' }))).resolves.toBe(1);
    });

    it("should pass PostgreSQL's own errors through, with the constraint name", async () => {
      await sut.withManager((manager) => manager.insert(UserEntity, user('a@example.com')));
      const err: unknown = await sut
        .withManager((manager) => manager.insert(UserEntity, user('A@example.com')))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryFailedError);
      expect(uniqueViolation(err)).toBe('users_email_lower_uq');
      expect(sut.breakerState).toBe('closed');
    });

    it('should expose the primary pool once, for monitoring', () => {
      expect(pools.stats()).toEqual({
        primary: {
          total: expect.any(Number) as number,
          idle: expect.any(Number) as number,
          waiting: 0,
          max: db.poolMax,
        },
      });
      expect(pools.primary()?.totalCount).toBeGreaterThan(0);
    });
  });

  describe('withManager, while PostgreSQL is down', () => {
    let pg: PrivatePostgres;
    let sut: DatabaseService;
    let ds: DataSource;

    beforeAll(async () => {
      pg = await PrivatePostgres.create();
      const db = loadConfig().db;
      ({ sut, ds } = await serviceOn({ ...db, port: pg.port, name: 'postgres', user: 'postgres', password: '' }));
    }, 60_000);

    afterAll(async () => {
      await ds?.destroy();
      await pg?.destroy();
    });

    it('should answer 503 (DatabaseUnavailableException) instead of a raw connection error', async () => {
      await expect(sut.withManager((manager) => manager.query('SELECT 1'))).resolves.toEqual([{ '?column?': 1 }]);
      await pg.stop();
      await expect(sut.withManager((manager) => manager.query('SELECT 1'))).rejects.toBeInstanceOf(
        DatabaseUnavailableException,
      );
    });
  });
});
