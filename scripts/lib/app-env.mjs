// The environment for running the built app against this machine's services (conformance, bench).
// Where the servers are comes from the app's own configuration loader (libs/config, built: `.env`
// under the environment, as the app, migrate and seed read it), so the scripts work against other
// servers too; the database, secret and log level are the run's own. The app itself runs with
// NODE_ENV=test, so it ignores `.env` and sees exactly this.
import pg from 'pg';
import { readEnvironment } from '../../dist/libs/config/src/read-environment.js';

export function appEnv(dbName) {
  // Empty means unset, as in the app (`DB_HOST=` in .env).
  const raw = readEnvironment();
  const or = (name, fallback) => raw[name] || fallback;
  return {
    NODE_ENV: 'test',
    DB_HOST: or('DB_HOST', '127.0.0.1'),
    DB_PORT: or('DB_PORT', '5432'),
    DB_USER: or('DB_USER', 'prepnexus'),
    DB_PASSWORD: or('DB_PASSWORD', 'prepnexus'),
    DB_NAME: dbName,
    REDIS_HOST: or('REDIS_HOST', '127.0.0.1'),
    REDIS_PORT: or('REDIS_PORT', '6379'),
    JWT_SECRET: `${dbName}-only-secret-0123456789abcdefghijklmnop`,
    LOG_LEVEL: 'warn',
    // The heap cap the app is deployed with (docker/k8s/deployment.yaml): without one V8 sizes its heap
    // from this machine's memory, and under load RSS measures uncollected garbage, not the app.
    NODE_OPTIONS: '--max-old-space-size=192',
  };
}

/** Runs `work` with a client connected to `env`'s database (as the app would connect), then closes it. */
export async function withDatabase(env, work) {
  const client = new pg.Client({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    database: env.DB_NAME,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
