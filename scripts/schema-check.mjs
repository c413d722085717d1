// Proves the entities (libs/database/src/entities) and the migrations build the same schema: migrates
// a scratch database from nothing, then asks TypeORM what it would change to match the entities.
// Any difference fails with the SQL TypeORM would have generated. Run after `nest build`.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const SCRATCH = process.env.SCHEMA_CHECK_DB ?? 'prepnexus_schema_check';
const DATA_SOURCE = 'dist/libs/database/src/data-source.js';

const env = {
  ...process.env,
  NODE_ENV: 'test',
  DB_HOST: process.env.DB_HOST ?? '127.0.0.1',
  DB_PORT: process.env.DB_PORT ?? '5432',
  DB_USER: process.env.DB_USER ?? 'prepnexus',
  DB_PASSWORD: process.env.DB_PASSWORD ?? 'prepnexus',
  DB_NAME: SCRATCH,
  // The CLI's data source validates the whole configuration; nothing here signs tokens.
  JWT_SECRET: process.env.JWT_SECRET ?? 'schema-check-only-secret-0123456789abcdefghij',
};

/** A new, empty scratch database, made by the app's own role (it has CREATEDB): no superuser needed. */
async function recreateScratchDatabase() {
  const admin = new pg.Client({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${SCRATCH}`);
  } finally {
    await admin.end();
  }
}

function typeorm(args, quiet) {
  const result = spawnSync(process.execPath, ['node_modules/typeorm/cli.js', ...args, '-d', DATA_SOURCE], {
    env,
    encoding: 'utf8',
  });
  if (result.status !== 0 || !quiet) process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.status;
}

await recreateScratchDatabase();
if (typeorm(['migration:run'], true) !== 0) {
  console.error(`schema:check: the migrations failed on the scratch database ${SCRATCH}`);
  process.exit(1);
}
// --check: exit 1 and print the queries when the entities differ from the migrated schema (no file written).
if (typeorm(['migration:generate', '--check', 'migrations/schema-check'], false) !== 0) {
  console.error(
    `schema:check: FAILED, the entities and the migrations disagree (scratch database ${SCRATCH} kept for a look)`,
  );
  process.exit(1);
}
console.log(`schema:check: entities and migrations agree (scratch database ${SCRATCH})`);
