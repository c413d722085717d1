import { execFile } from 'node:child_process';
import { Client } from 'pg';
import { PrivatePostgres } from '../../../test-support/private-postgres';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a built command with exactly `env` (plus PATH): nothing leaks in from the test's own environment. */
function run(args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const MIGRATE = ['node_modules/typeorm/cli.js', 'migration:run', '-d', 'dist/libs/database/src/data-source.js'];
const SEED = ['dist/migrations/seed/run-seed.js'];

/**
 * The one-shot commands of a deployment (the migration Job / compose `migrate`, the seed) in
 * production, with the database settings only: no JWT secret, monitoring token, Redis or CORS origins.
 * A private cluster holds the databases, so the shared server is untouched.
 */
describe('One-shot commands in production', () => {
  let pg: PrivatePostgres;

  const database = (name: string) => ({
    NODE_ENV: 'production',
    DB_HOST: '127.0.0.1',
    DB_PORT: String(pg.port),
    DB_USER: 'postgres',
    DB_PASSWORD: 'trust-auth-ignores-it',
    DB_NAME: name,
  });
  const tables = async (name: string): Promise<number> => {
    const admin = new Client({ host: '127.0.0.1', port: pg.port, user: 'postgres', database: name });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      return rows[0].n;
    } finally {
      await admin.end();
    }
  };

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    const admin = new Client({ host: '127.0.0.1', port: pg.port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    for (const name of ['migrate_only', 'seed_refused']) await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  }, 60_000);
  afterAll(async () => {
    await pg?.destroy();
  });

  describe('migrate (TypeORM CLI on the built data source)', () => {
    it('should apply the migrations with the database settings alone', async () => {
      const outcome = await run(MIGRATE, database('migrate_only'));

      expect(outcome).toEqual(expect.objectContaining({ code: 0 }));
      expect(outcome.stdout).toContain('Migration InitialSchema1764000000000 has been executed successfully');
      expect(await tables('migrate_only')).toBeGreaterThan(5);
    });

    it('should name every missing database setting in one line, and nothing else', async () => {
      const outcome = await run(MIGRATE, { NODE_ENV: 'production', DB_NAME: 'migrate_only' });

      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toContain('TypeORM CLI failed to start: Invalid configuration (3 problem(s))');
      expect(outcome.stderr).toMatch(/DB_HOST: required in production[\s\S]*DB_USER[\s\S]*DB_PASSWORD/);
      expect(outcome.stderr).not.toMatch(/JWT_SECRET|MONITORING_TOKEN|REDIS|CORS/);
    });
  });

  describe('seed', () => {
    it('should refuse a production database without --force, before touching it', async () => {
      const outcome = await run(SEED, database('seed_refused'));

      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain('seed: refusing to seed a production database (NODE_ENV=production)');
      expect(outcome.stderr).toContain('Pass --force to seed it anyway.');
      expect(await tables('seed_refused')).toBe(0);
    });
  });
});
