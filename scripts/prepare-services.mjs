// Before `npm test`, `npm run test:conformance` and `npm run bench`: PostgreSQL and Redis answer,
// and the role and database the run uses exist. Creates them as the PostgreSQL superuser when it
// can (PGSUPERUSER, default `postgres`; PGHOST/PGPORT/PGPASSWORD when it lives elsewhere), and
// otherwise says in one line what to run. Every failure is one line, never a stack or a hang.
//
//   node scripts/prepare-services.mjs    # for Jest: the environment it uses (apps/api/test/setup-env.ts)
//   await prepareServices(env)           # for the scripts: the environment they start the app with
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { reachable } from './lib/app-process.mjs';

const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no';
const TIMEOUT_MS = 3000;

/** One line on stderr, exit code 1: what a person reads when the run cannot start. */
export class PrepareError extends Error {}

async function requireServices(env) {
  const services = [{ name: 'PostgreSQL', host: env.DB_HOST, port: Number(env.DB_PORT), start: START_POSTGRES }];
  if (env.REDIS_HOST) {
    services.push({ name: 'Redis', host: env.REDIS_HOST, port: Number(env.REDIS_PORT), start: START_REDIS });
  }
  const up = await Promise.all(services.map((s) => reachable(s.host, s.port, TIMEOUT_MS)));
  const down = services.filter((_, i) => !up[i]);
  if (down.length > 0) {
    const lines = down.map((s) => `${s.name} is not answering on ${s.host}:${s.port}; start it with: ${s.start}`);
    throw new PrepareError(lines.join('\n'));
  }
}

/** Runs `work` with a connected client; connection errors are returned, not thrown. */
async function withClient(options, work) {
  const client = new pg.Client({ ...options, connectionTimeoutMillis: TIMEOUT_MS });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    return { error: err };
  }
  try {
    return { value: await work(client) };
  } finally {
    await client.end();
  }
}

async function exists(client, sql, name) {
  return (await client.query(sql, [name])).rowCount > 0;
}

/** The role and the database as the superuser, idempotently; answers what it created. */
async function createRoleAndDatabase(client, { DB_USER: role, DB_PASSWORD: password, DB_NAME: database }) {
  const created = [];
  if (!(await exists(client, 'SELECT 1 FROM pg_roles WHERE rolname = $1', role))) {
    const withPassword = password ? ` PASSWORD ${client.escapeLiteral(password)}` : '';
    await client.query(`CREATE ROLE ${client.escapeIdentifier(role)} LOGIN CREATEDB${withPassword}`);
    created.push(`role ${role}`);
  }
  if (!(await exists(client, 'SELECT 1 FROM pg_database WHERE datname = $1', database))) {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)} OWNER ${client.escapeIdentifier(role)}`);
    created.push(`database ${database}`);
  }
  return created;
}

function manualSteps({ DB_USER: role, DB_PASSWORD: password, DB_NAME: database }, superuser) {
  const q = (sql) => `-c ${JSON.stringify(sql)}`;
  return (
    `psql -h ${superuser.host} -p ${superuser.port} -U ${superuser.user} -d postgres ` +
    `${q(`CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${password}'`)} ${q(`CREATE DATABASE ${database} OWNER ${role}`)}`
  );
}

/**
 * Makes sure the services answer and `env.DB_USER` can open `env.DB_NAME` (DB_HOST, DB_PORT,
 * DB_PASSWORD; REDIS_HOST/REDIS_PORT when set). Throws a PrepareError with the one line to show.
 */
export async function prepareServices(env, log = (line) => console.log(`prepare: ${line}`)) {
  await requireServices(env);
  const app = {
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    database: env.DB_NAME,
  };
  const asApp = await withClient(app, () => undefined);
  if (!asApp.error) return;
  // 28000: no such role (or no pg_hba entry for it); 3D000: no such database. Anything else is not ours to fix.
  if (!['28000', '3D000'].includes(asApp.error.code)) {
    throw new PrepareError(
      `PostgreSQL at ${app.host}:${app.port} refused ${app.user}@${app.database}: ${asApp.error.message}`,
    );
  }
  const superuser = {
    host: process.env.PGHOST || app.host,
    port: Number(process.env.PGPORT || app.port),
    user: process.env.PGSUPERUSER || 'postgres',
    password: process.env.PGPASSWORD || undefined,
    database: 'postgres',
  };
  const asSuperuser = await withClient(superuser, (client) => createRoleAndDatabase(client, env));
  if (asSuperuser.error) {
    throw new PrepareError(
      `role ${app.user} or database ${app.database} missing, and connecting as superuser ${superuser.user} failed ` +
        `(${asSuperuser.error.message}; set PGSUPERUSER/PGPASSWORD/PGHOST/PGPORT), so create them yourself: ` +
        manualSteps(env, superuser),
    );
  }
  log(`created ${asSuperuser.value.join(' and ')} on ${app.host}:${app.port} (as ${superuser.user})`);
}

/** Runs `prepareServices` and ends the process with its one line when it fails. */
export async function prepareServicesOrExit(env) {
  try {
    await prepareServices(env);
  } catch (err) {
    console.error(err instanceof PrepareError ? err.message : `prepare failed: ${err?.message ?? String(err)}`);
    process.exit(1);
  }
}

/** What Jest uses: the same defaults as apps/api/test/setup-env.ts (tests ignore .env). */
export function testEnv() {
  const env = process.env;
  return {
    DB_HOST: env.DB_HOST || '127.0.0.1',
    DB_PORT: env.DB_PORT || '5432',
    DB_USER: env.DB_USER || 'prepnexus',
    DB_PASSWORD: env.DB_PASSWORD || 'prepnexus',
    DB_NAME: env.DB_NAME || 'prepnexus_test',
    REDIS_HOST: env.REDIS_HOST || '127.0.0.1',
    REDIS_PORT: env.REDIS_PORT || '6379',
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await prepareServicesOrExit(testEnv());
