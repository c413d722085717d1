// Empties a database and migrates it from scratch with the built data source, and empties that
// deployment's keyspace in Redis: entries cached from the previous contents must not be served.
import { Redis } from 'ioredis';
import { execFileSync } from 'node:child_process';
import pg from 'pg';

async function clearKeyspace(env) {
  const redis = new Redis({ host: env.REDIS_HOST, port: Number(env.REDIS_PORT), lazyConnect: true });
  await redis.connect();
  try {
    const pattern = `${env.CACHE_KEYSPACE ?? env.DB_NAME}:*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function freshDatabase(env) {
  const client = new pg.Client({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USER,
    password: env.DB_PASSWORD,
    database: env.DB_NAME,
  });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
  execFileSync(
    process.execPath,
    ['node_modules/typeorm/cli.js', 'migration:run', '-d', 'dist/libs/database/src/data-source.js'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (env.REDIS_HOST) await clearKeyspace(env);
}
