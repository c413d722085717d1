// The developer setup after the services are up (docker/setup_dev.sh starts them with compose, or
// finds them already running with --no-docker): wait for PostgreSQL (primary and replicas) and
// Redis, create the role and database if missing, build, migrate, seed, then start the API once to
// check it reaches everything, and print one summary. Reads the same variables as the app
// (DB_*, DB_REPLICA_HOSTS, REDIS_HOST/REDIS_PORT) from the environment; defaults are this
// machine's services.
//
//   node scripts/setup-dev.mjs        (npm run build first, or let docker/setup_dev.sh do it)
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';
import { reachable, startApp } from './lib/app-process.mjs';
import { PrepareError, prepareServices } from './prepare-services.mjs';

const run = promisify(execFile);
const WAIT_MS = Number(process.env.SETUP_WAIT_MS ?? 60_000);

const env = {
  NODE_ENV: 'development',
  DB_HOST: process.env.DB_HOST || '127.0.0.1',
  DB_PORT: process.env.DB_PORT || '5432',
  DB_NAME: process.env.DB_NAME || 'prepnexus',
  DB_USER: process.env.DB_USER || 'prepnexus',
  DB_PASSWORD: process.env.DB_PASSWORD || 'prepnexus',
  DB_REPLICA_HOSTS: process.env.DB_REPLICA_HOSTS || '',
  REDIS_HOST: process.env.REDIS_HOST || '127.0.0.1',
  REDIS_PORT: process.env.REDIS_PORT || '6379',
};
const replicas = env.DB_REPLICA_HOSTS.split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((item) => {
    const [host, port] = item.split(':');
    return { host, port: Number(port || env.DB_PORT) };
  });

const rows = [];
const started = performance.now();
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const say = (line) => console.log(`setup: ${line}`);

/** Runs one step, timed; a failure ends the run with its one line (and the steps done so far). */
async function step(name, work) {
  const since = performance.now();
  say(`${name} ...`);
  try {
    const detail = await work();
    rows.push([name, 'ok', detail, seconds(since)]);
  } catch (err) {
    rows.push([
      name,
      'FAILED',
      err instanceof PrepareError ? err.message : (err?.message ?? String(err)),
      seconds(since),
    ]);
    printSummary(false);
    process.exit(1);
  }
}

async function waitFor(what, probe) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function query(target, sql) {
  const client = new pg.Client({ ...target, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const primary = () => ({
  host: env.DB_HOST,
  port: Number(env.DB_PORT),
  user: env.DB_USER,
  password: env.DB_PASSWORD,
  database: env.DB_NAME,
});

function printSummary(ok) {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\nPrepNexus developer setup: ${ok ? 'ready' : 'FAILED'} in ${seconds(started)}`);
  for (const [name, status, detail, took] of rows) {
    console.log(`  ${name.padEnd(width)}  ${status.padEnd(6)}  ${detail} (${took})`);
  }
  if (ok) {
    console.log('\nRun the API against these services with (e.g. in .env):');
    for (const name of [
      'DB_HOST',
      'DB_PORT',
      'DB_NAME',
      'DB_USER',
      'DB_PASSWORD',
      'DB_REPLICA_HOSTS',
      'REDIS_HOST',
      'REDIS_PORT',
    ]) {
      console.log(`  ${name}=${env[name]}`);
    }
    console.log('then: npm run start:dev   (seeded users sign in with password123)');
  }
}

await step('services', async () => {
  const targets = [
    ['PostgreSQL primary', env.DB_HOST, Number(env.DB_PORT)],
    ...replicas.map((r, i) => [`replica ${i}`, r.host, r.port]),
    ['Redis', env.REDIS_HOST, Number(env.REDIS_PORT)],
  ];
  for (const [what, host, port] of targets) await waitFor(`${what} on ${host}:${port}`, () => reachable(host, port));
  await prepareServices(env, say);
  const [{ version }] = await query(primary(), "SELECT current_setting('server_version') AS version");
  const standbys = [];
  for (const replica of replicas) {
    const [{ standby }] = await query({ ...primary(), ...replica }, 'SELECT pg_is_in_recovery() AS standby');
    standbys.push(`${replica.host}:${replica.port} ${standby ? 'standby' : 'NOT a standby'}`);
  }
  return [
    `PostgreSQL ${version} at ${env.DB_HOST}:${env.DB_PORT}/${env.DB_NAME}`,
    replicas.length ? `replicas ${standbys.join(', ')}` : 'no replicas',
    `Redis at ${env.REDIS_HOST}:${env.REDIS_PORT}`,
  ].join('; ');
});

await step('migrate', async () => {
  const cli = ['node_modules/typeorm/cli.js', 'migration:run', '-d', 'dist/libs/database/src/data-source.js'];
  const { stdout } = await run(process.execPath, cli, { env: { ...process.env, ...env } });
  const applied = stdout.match(/Migration \S+ has been executed successfully/g) ?? [];
  return applied.length ? `${applied.length} migration(s) applied` : 'schema up to date';
});

await step('seed', async () => {
  const { stdout } = await run(process.execPath, ['dist/migrations/seed/run-seed.js'], {
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim().split('\n').at(-1);
});

await step('API check', async () => {
  const token = randomBytes(16).toString('hex');
  const app = await startApp(
    {
      ...env,
      MONITORING_TOKEN: token,
      DB_MIGRATE_ON_BOOT: 'false',
      LOG_LEVEL: 'warn',
      CACHE_KEYSPACE: `setup-${env.DB_NAME}`,
    },
    { readyPath: '/health/ready', output: 'capture' },
  );
  try {
    const health = await fetch(`${app.baseUrl}/health`, { headers: { authorization: `Bearer ${token}` } });
    const body = await health.json();
    const articles = await (await fetch(`${app.baseUrl}/api/articles?limit=1`)).json();
    const details = body.details ?? {};
    const state = (name) => details[name]?.status ?? 'not checked';
    const line = `/health ${body.status} (database ${state('database')}, replicas ${replicas.length ? state('replicas') : 'none'}, redis ${details.redis?.state ?? 'not checked'}); /api/articles: ${articles.articlesCount} articles`;
    if (body.status !== 'ok') throw new Error(line);
    return line;
  } finally {
    await app.stop();
  }
});

printSummary(true);
