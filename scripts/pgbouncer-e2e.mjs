// The e2e read/write paths and the two-instance cache checks through a real PgBouncer in transaction
// mode (Debian's, 1.18 here) in front of a private PostgreSQL: what many pods sharing one database run on.
//   node scripts/pgbouncer-e2e.mjs [--prepared]   (--prepared keeps named statements on, to show they fail)
// PgBouncer < 1.21 cannot follow named prepared statements across server sessions, so the app runs with
// DB_PREPARED_STATEMENTS=false. Migrations run on the primary directly, as in production (their
// session advisory lock means nothing behind transaction pooling).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { createPrimary, startPgBouncer } from './lib/postgres-cluster.mjs';

const SPECS = [
  'apps/api/test/articles.e2e-spec.ts',
  'apps/api/test/users.e2e-spec.ts',
  'apps/api/test/comments.e2e-spec.ts',
  'apps/api/test/caching.e2e-spec.ts',
];
const prepared = process.argv.includes('--prepared');

function jest(env) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['jest', ...SPECS, '--selectProjects', 'e2e', '--runInBand'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const version = execFileSync('/usr/sbin/pgbouncer', ['--version']).toString().split('\n')[0];
const primary = await createPrimary();
let bouncer;
let code = 1;
try {
  // PgBouncer 1.18 drops these startup parameters (ignore_startup_parameters): the role carries them instead.
  const admin = new pg.Client({ host: '127.0.0.1', port: primary.port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query("ALTER ROLE postgres SET statement_timeout = '5s'");
  await admin.query("ALTER ROLE postgres SET idle_in_transaction_session_timeout = '10s'");
  await admin.end();
  bouncer = await startPgBouncer(primary, { poolSize: 5 });
  console.log(`${version}, pool_mode=transaction, on :${bouncer.port} in front of PostgreSQL :${primary.port}`);
  const started = Date.now();
  code = await jest({
    DB_HOST: '127.0.0.1',
    DB_PORT: String(bouncer.port),
    DB_USER: 'postgres',
    DB_PASSWORD: 'trust-auth-ignores-it',
    DB_NAME: 'postgres',
    DB_PREPARED_STATEMENTS: prepared ? 'true' : 'false',
    DB_MIGRATE_ON_BOOT: 'false',
    CACHE_KEYSPACE: `pgbouncer-e2e-${process.pid}`,
  });
  console.log(
    `PgBouncer e2e (${SPECS.length} suites, DB_PREPARED_STATEMENTS=${prepared}): ` +
      `${code === 0 ? 'PASSED' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  await bouncer?.stop();
  await primary.destroy();
}
process.exit(code);
