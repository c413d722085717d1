// The environment for running the built app against this machine's services (conformance, bench).
// DB_* and REDIS_* from the caller's environment win, so the scripts work against other servers too.
export function appEnv(dbName) {
  return {
    NODE_ENV: 'test',
    DB_HOST: process.env.DB_HOST ?? '127.0.0.1',
    DB_PORT: process.env.DB_PORT ?? '5432',
    DB_USER: process.env.DB_USER ?? 'prepnexus',
    DB_PASSWORD: process.env.DB_PASSWORD ?? 'prepnexus',
    DB_NAME: dbName,
    REDIS_HOST: process.env.REDIS_HOST ?? '127.0.0.1',
    REDIS_PORT: process.env.REDIS_PORT ?? '6379',
    JWT_SECRET: `${dbName}-only-secret-0123456789abcdefghijklmnop`,
    LOG_LEVEL: 'warn',
  };
}
