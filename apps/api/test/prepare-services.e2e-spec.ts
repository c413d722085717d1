import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../../scripts/lib/app-process.mjs';
import { PrivatePostgres } from '../../../test-support/private-postgres';

const SCRIPT = resolve(__dirname, '../../../scripts/prepare-services.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node scripts/prepare-services.mjs` (what `npm test` runs first) with `env` over this process's environment. */
function prepare(env: Record<string, string>): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [SCRIPT], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * A fresh machine: a PostgreSQL cluster where neither the role nor the database exists (a private
 * one, so the shared server's role, used by every other run, is never dropped).
 */
describe('prepare-services (npm test on a fresh machine)', () => {
  let pg: PrivatePostgres;
  let server: Record<string, string>;

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    server = { DB_HOST: '127.0.0.1', DB_PORT: String(pg.port), DB_USER: 'prepnexus', DB_PASSWORD: 'prepnexus' };
  }, 60_000);
  afterAll(async () => {
    await pg?.destroy();
  });

  it('should create the role and the database as the superuser, once, so the role can connect', async () => {
    const env = { ...server, DB_NAME: 'fresh_test' };
    await expect(prepare(env)).resolves.toEqual({
      code: 0,
      stdout: `prepare: created role prepnexus and database fresh_test on 127.0.0.1:${pg.port} (as postgres)\n`,
      stderr: '',
    });
    const client = new Client({ host: '127.0.0.1', port: pg.port, user: 'prepnexus', database: 'fresh_test' });
    await client.connect();
    const { rows } = await client.query<{ owner: string }>(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()',
    );
    await client.end();
    expect(rows).toEqual([{ owner: 'prepnexus' }]);

    await expect(prepare(env)).resolves.toEqual({ code: 0, stdout: '', stderr: '' });
  }, 60_000);

  it('should say in one line what to run when it cannot connect as the superuser', async () => {
    const run = await prepare({ ...server, DB_NAME: 'other_test', PGSUPERUSER: 'not_a_superuser' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^role prepnexus or database other_test missing, and connecting as superuser not_a_superuser failed .*` +
            `create them yourself: psql -h 127\\.0\\.0\\.1 -p ${pg.port} -U not_a_superuser -d postgres ` +
            `-c "CREATE ROLE prepnexus LOGIN CREATEDB PASSWORD 'prepnexus'" -c "CREATE DATABASE other_test OWNER prepnexus"$`,
        ),
      ),
    ]);
  }, 30_000);

  it('should say in one line how to start PostgreSQL when it is not answering', async () => {
    const port = await freePort();
    const run = await prepare({ ...server, DB_PORT: String(port), DB_NAME: 'any' });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `PostgreSQL is not answering on 127.0.0.1:${port}; start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n`,
    });
  }, 30_000);
});
