// Empties a database and migrates it from scratch with the built data source, and empties that
// deployment's keyspace in Redis: entries cached from the previous contents must not be served.
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { withDatabase } from './app-env.mjs';

/** Empties `env`'s cache keyspace in Redis (also the bench's, after it removes its own writes). */
export async function clearKeyspace(env) {
  // The app's own clearer, from the build this script runs against (callers build first).
  const { clearKeyspace: clear } = await import('../../dist/libs/redis/src/clear-keyspace.js');
  const client = new Redis({ host: env.REDIS_HOST, port: Number(env.REDIS_PORT ?? 6379), lazyConnect: true });
  await client.connect();
  try {
    await clear(client, `${env.CACHE_KEYSPACE ?? env.DB_NAME}:`);
  } finally {
    await client.quit();
  }
}

export async function freshDatabase(env) {
  await withDatabase(env, async (client) => {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  });
  execFileSync(
    process.execPath,
    ['node_modules/typeorm/cli.js', 'migration:run', '-d', 'dist/libs/database/src/data-source.js'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (env.REDIS_HOST) await clearKeyspace(env);
}
