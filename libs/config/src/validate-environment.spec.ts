import { ConfigValidationError, validateDatabaseEnvironment, validateEnvironment } from './validate-environment';

const PRODUCTION = {
  NODE_ENV: 'production',
  DB_HOST: 'db.internal',
  DB_USER: 'app',
  DB_PASSWORD: 'secret-password',
  REDIS_HOST: 'redis.internal',
  JWT_SECRET: 'Zx8-Qw3_Lm9!Rt5#Yp2$Kd7%Hb4^Nc6&Vf',
  CORS_ORIGINS: 'https://app.example.com',
  MONITORING_TOKEN: 'monitoring-token-0123456789',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnvironment(env);
  } catch (err) {
    if (err instanceof ConfigValidationError) return err.problems;
    throw err;
  }
  return [];
}

describe(validateEnvironment.name, () => {
  describe('defaults', () => {
    it('should use the embedded database and in-process cache in development with nothing set', () => {
      const sut = validateEnvironment({});
      expect(sut.env).toBe('development');
      expect(sut.db.embedded).toBe(true);
      expect(sut.redis).toBeNull();
      expect(sut.db.name).toBe('prepnexus');
      expect(sut.cache).toEqual({
        enabled: true,
        ttlSeconds: 300,
        l1MaxBytes: 64 * 1024 * 1024,
        staleMaxSeconds: 3600,
        keyspace: 'prepnexus',
        unconfirmedMaxMs: 1000,
      });
      expect(sut.corsOrigins).toBe(true);
    });

    it('should treat empty strings as unset', () => {
      expect(validateEnvironment({ PORT: '', DB_HOST: '' }).port).toBe(3000);
    });
  });

  describe('typing', () => {
    it('should parse numbers, lists and the Redis URL', () => {
      const sut = validateEnvironment({
        PORT: '8080',
        DB_HOST: 'primary',
        DB_REPLICA_HOSTS: 'r1, r2:5433',
        REDIS_HOST: 'cache',
        REDIS_PORT: '6380',
        CORS_ORIGINS: 'https://a.example, https://b.example',
      });
      expect(sut.port).toBe(8080);
      expect(sut.db.embedded).toBe(false);
      expect(sut.db.replicaHosts).toEqual([
        { host: 'r1', port: 5432 },
        { host: 'r2', port: 5433 },
      ]);
      expect(sut.redis).toEqual({ url: 'redis://cache:6380' });
      expect(sut.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    });

    it('should read Sentinels, defaulting their port and the primary group name', () => {
      const sut = validateEnvironment({ REDIS_SENTINELS: 's1, s2:26380', REDIS_URL: 'redis://:pw@ignored:6379/2' });

      expect(sut.redis).toEqual({
        url: 'redis://:pw@ignored:6379/2',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26380 },
        ],
        sentinelName: 'mymaster',
      });
    });
  });

  describe('errors', () => {
    it('should name every bad variable in one error', () => {
      const problems = problemsOf({ PORT: 'abc', DB_POOL_MAX: '0', LOG_LEVEL: 'loud', REDIS_URL: 'http://x' });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DB_POOL_MAX', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
    });

    it('should bound CACHE_UNCONFIRMED_MAX_MS between 100 ms and a minute', () => {
      expect(validateEnvironment({ CACHE_UNCONFIRMED_MAX_MS: '250' }).cache.unconfirmedMaxMs).toBe(250);
      for (const bad of ['99', '60001', 'soon']) {
        expect(problemsOf({ CACHE_UNCONFIRMED_MAX_MS: bad }).map((p) => p.split(':')[0])).toEqual([
          'CACHE_UNCONFIRMED_MAX_MS',
        ]);
      }
    });

    it('should accept a complete production configuration', () => {
      expect(problemsOf(PRODUCTION)).toEqual([]);
      expect(validateEnvironment(PRODUCTION).db.embedded).toBe(false);
    });

    it('should refuse production without database, Redis, secrets and origins', () => {
      const problems = problemsOf({ NODE_ENV: 'production' });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'CORS_ORIGINS',
        'DB_HOST',
        'DB_PASSWORD',
        'DB_USER',
        'JWT_SECRET',
        'MONITORING_TOKEN',
        'REDIS_HOST, REDIS_URL or REDIS_SENTINELS',
      ]);
    });

    it.each(['secret', 'short-but-not-weak', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'])(
      'should refuse the weak JWT_SECRET %p in production',
      (secret) => {
        expect(problemsOf({ ...PRODUCTION, JWT_SECRET: secret })).toEqual([
          expect.stringMatching(/^JWT_SECRET: too weak/),
        ]);
      },
    );

    it('should read TRUST_PROXY as off, a hop count or addresses, never "trust everyone"', () => {
      expect(validateEnvironment({}).trustProxy).toBe(false);
      expect(validateEnvironment({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(validateEnvironment({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
        '10.0.0.0/8',
        '127.0.0.1',
      ]);
      expect(problemsOf({ TRUST_PROXY: 'true' })).toEqual([expect.stringMatching(/^TRUST_PROXY/)]);
    });

    it('should migrate on boot outside production unless DB_MIGRATE_ON_BOOT=false, and never in production', () => {
      expect(validateEnvironment({ DB_HOST: 'db' }).db.migrateOnBoot).toBe(true);
      expect(validateEnvironment({ DB_HOST: 'db', DB_MIGRATE_ON_BOOT: 'false' }).db.migrateOnBoot).toBe(false);
      expect(validateEnvironment(PRODUCTION).db.migrateOnBoot).toBe(false);
      expect(problemsOf({ ...PRODUCTION, DB_MIGRATE_ON_BOOT: 'true' })).toEqual([
        expect.stringMatching(/^DB_MIGRATE_ON_BOOT: production never migrates on boot/),
      ]);
    });

    it('should refuse a wildcard CORS origin in production', () => {
      expect(problemsOf({ ...PRODUCTION, CORS_ORIGINS: '*' })).toEqual([expect.stringMatching(/^CORS_ORIGINS/)]);
    });
  });
  describe('backups', () => {
    it('should name the cluster host-port by default, with characters safe in file names', () => {
      const sut = validateEnvironment({ DB_HOST: 'db.internal', DB_PORT: '6543', DB_NAME: 'app', DB_USER: 'u' });
      expect(sut.backup).toEqual({
        dir: null,
        cluster: 'db.internal-6543',
        keep: 7,
        copyDir: null,
        verify: { host: 'db.internal', port: 6543, user: 'u', password: '', database: 'app_verify' },
      });
      expect(validateEnvironment({ DB_HOST: '::1' }).backup.cluster).toBe('--1-5432');
      expect(validateEnvironment({ DB_HOST: 'db', CLUSTER_NAME: 'eu-prod' }).backup.cluster).toBe('eu-prod');
    });

    it("should not lend the backed-up role's password to another verify role", () => {
      const env = { DB_HOST: 'db', DB_USER: 'app', DB_PASSWORD: 'app-password' };
      expect(validateEnvironment(env).backup.verify).toMatchObject({ user: 'app', password: 'app-password' });
      expect(validateEnvironment({ ...env, BACKUP_VERIFY_USER: 'postgres' }).backup.verify).toMatchObject({
        user: 'postgres',
        password: '',
      });
    });

    it('should refuse a scratch database that is the backed-up one, and cluster names with a separator in them', () => {
      expect(problemsOf({ DB_NAME: 'app', BACKUP_VERIFY_DB_NAME: 'app' }).map((p) => p.split(':')[0])).toEqual([
        'BACKUP_VERIFY_DB_NAME',
      ]);
      expect(problemsOf({ CLUSTER_NAME: 'eu_prod' }).map((p) => p.split(':')[0])).toEqual(['CLUSTER_NAME']);
      expect(problemsOf({ BACKUP_KEEP: '0' }).map((p) => p.split(':')[0])).toEqual(['BACKUP_KEEP']);
    });
  });
});

describe(validateDatabaseEnvironment.name, () => {
  const problemsOfDatabase = (env: Record<string, string>): string[] => {
    try {
      validateDatabaseEnvironment(env);
    } catch (err) {
      if (err instanceof ConfigValidationError) return err.problems;
      throw err;
    }
    return [];
  };
  const DATABASE_ONLY = {
    NODE_ENV: 'production',
    DB_HOST: 'db.internal',
    DB_USER: 'app',
    DB_PASSWORD: 'secret-password',
    DB_NAME: 'prepnexus',
  };

  it('should accept production with the database settings alone (no JWT secret, token, Redis or CORS)', () => {
    expect(validateDatabaseEnvironment(DATABASE_ONLY)).toEqual(
      expect.objectContaining({
        env: 'production',
        embedded: false,
        host: 'db.internal',
        user: 'app',
        name: 'prepnexus',
      }),
    );
  });

  it('should ignore bad values of variables it does not read', () => {
    expect(problemsOfDatabase({ ...DATABASE_ONLY, JWT_SECRET: 'weak', CORS_ORIGINS: '*', PORT: 'x' })).toEqual([]);
  });

  it('should name every missing or bad database variable in production', () => {
    const problems = problemsOfDatabase({ NODE_ENV: 'production', DB_PORT: 'five' });

    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DB_HOST', 'DB_PASSWORD', 'DB_PORT', 'DB_USER']);
  });
});
