import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AppConfig, DatabaseConfig, NodeEnv } from './app-config';
import { EnvironmentVariables } from './environment-variables';
import { readEnvironment } from './read-environment';

/** Thrown at boot with every problem in the environment, one per line. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem(s)):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';
const WEAK_SECRETS = new Set(['secret', 'changeme', 'change-me', 'password', 'jwt-secret', DEV_JWT_SECRET]);

function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
}

function productionProblems(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  const required: (keyof EnvironmentVariables)[] = ['DB_HOST', 'DB_USER', 'DB_PASSWORD', 'JWT_SECRET', 'CORS_ORIGINS'];
  for (const name of required) if (!env[name]) problems.push(`${name}: required in production`);
  if (!env.REDIS_URL && !env.REDIS_HOST && !env.REDIS_SENTINELS) {
    problems.push('REDIS_HOST, REDIS_URL or REDIS_SENTINELS: required in production');
  }
  if (!env.MONITORING_TOKEN) problems.push('MONITORING_TOKEN: required in production');
  const secret = env.JWT_SECRET;
  if (secret && (secret.length < 32 || WEAK_SECRETS.has(secret.toLowerCase()) || new Set(secret).size < 10)) {
    problems.push('JWT_SECRET: too weak for production (use at least 32 random characters)');
  }
  if (env.CORS_ORIGINS?.trim() === '*') problems.push('CORS_ORIGINS: must list explicit origins in production');
  if (env.DB_MIGRATE_ON_BOOT === 'true') {
    problems.push(
      'DB_MIGRATE_ON_BOOT: production never migrates on boot (run `npm run migration:run` as its own step)',
    );
  }
  return problems;
}

function parseHostList(list: string | undefined, defaultPort: number): { host: string; port: number }[] {
  if (!list) return [];
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const [host, port] = item.split(':');
      return { host, port: port ? Number(port) : defaultPort };
    });
}

/** Never `true`: trusting every X-Forwarded-For hop would let a client choose its own IP (rate limits). */
function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim());
}

function toBackupConfig(env: EnvironmentVariables, db: AppConfig['db']): AppConfig['backup'] {
  return {
    dir: env.BACKUP_DIR ?? null,
    // File names must not depend on characters a file system or object store might refuse (':' of host:port).
    cluster: env.CLUSTER_NAME ?? `${db.host}-${db.port}`.replace(/[^A-Za-z0-9.-]/g, '-'),
    keep: env.BACKUP_KEEP ?? 7,
    copyDir: env.BACKUP_COPY_DIR ?? null,
    verify: {
      host: env.BACKUP_VERIFY_HOST ?? db.host,
      port: env.BACKUP_VERIFY_PORT ?? db.port,
      user: env.BACKUP_VERIFY_USER ?? db.user,
      password: env.BACKUP_VERIFY_PASSWORD ?? (env.BACKUP_VERIFY_USER ? '' : db.password),
      database: env.BACKUP_VERIFY_DB_NAME ?? `${db.name}_verify`,
    },
  };
}

/**
 * With Sentinels, they say where the primary is (REDIS_HOST/PORT are not needed; REDIS_URL may still
 * carry the password and database number).
 */
function redisConfig(env: EnvironmentVariables, url: string | null): AppConfig['redis'] {
  const sentinels = parseHostList(env.REDIS_SENTINELS, 26379);
  if (sentinels.length === 0) return url ? { url } : null;
  return { url: url ?? 'redis://', sentinels, sentinelName: env.REDIS_SENTINEL_NAME ?? 'mymaster' };
}

function toAppConfig(env: EnvironmentVariables): AppConfig {
  const nodeEnv = (env.NODE_ENV ?? 'development') as NodeEnv;
  const dbPort = env.DB_PORT ?? 5432;
  const redisUrl = env.REDIS_URL ?? (env.REDIS_HOST ? `redis://${env.REDIS_HOST}:${env.REDIS_PORT ?? 6379}` : null);
  const cors = env.CORS_ORIGINS?.trim();
  const config: Omit<AppConfig, 'backup'> = {
    env: nodeEnv,
    port: env.PORT ?? 3000,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    // Time for load balancers to see readiness fail before the server closes; none needed outside production.
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? (nodeEnv === 'production' ? 10000 : 0),
    corsOrigins:
      !cors || cors === '*'
        ? true
        : cors
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
    bodyLimitBytes: (env.BODY_LIMIT_KB ?? 256) * 1024,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MIN ?? 20,
    db: {
      embedded: !env.DB_HOST && nodeEnv !== 'production',
      host: env.DB_HOST ?? '127.0.0.1',
      port: dbPort,
      name: env.DB_NAME ?? 'prepnexus',
      user: env.DB_USER ?? 'postgres',
      password: env.DB_PASSWORD ?? '',
      replicaHosts: parseHostList(env.DB_REPLICA_HOSTS, dbPort),
      replicaMaxLagMs: env.DB_REPLICA_MAX_LAG_MS ?? 5000,
      replicaPollMs: env.DB_REPLICA_POLL_MS ?? 10,
      // Off behind PgBouncer < 1.21 in transaction mode: a named statement lives on one server session.
      preparedStatements: env.DB_PREPARED_STATEMENTS !== 'false',
      poolMax: env.DB_POOL_MAX ?? 10,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS ?? 5000,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS ?? 2000,
      breakerResetMs: env.DB_BREAKER_RESET_MS ?? 2000,
      // Development and test apply pending migrations at boot; production runs them as their own step.
      migrateOnBoot: nodeEnv !== 'production' && env.DB_MIGRATE_ON_BOOT !== 'false',
    },
    redis: redisConfig(env, redisUrl),
    cache: {
      enabled: env.CACHE_ENABLED !== 'false',
      ttlSeconds: env.CACHE_TTL_S ?? 300,
      l1MaxBytes: (env.CACHE_L1_MAX_MB ?? 64) * 1024 * 1024,
      staleMaxSeconds: env.CACHE_STALE_MAX_S ?? 3600,
      // Two deployments (or the tests and a dev server) sharing one Redis never read each other's entries.
      keyspace: env.CACHE_KEYSPACE ?? env.DB_NAME ?? 'prepnexus',
      unconfirmedMaxMs: env.CACHE_UNCONFIRMED_MAX_MS ?? 1000,
    },
    jwt: { secret: env.JWT_SECRET ?? DEV_JWT_SECRET, expiresInSeconds: env.JWT_EXPIRES_IN_S ?? 7 * 24 * 3600 },
    monitoringToken: env.MONITORING_TOKEN ?? null,
    embeddedDataDir: env.EMBEDDED_DB_DIR ?? '.data/pglite',
  };
  return { ...config, backup: toBackupConfig(env, config.db) };
}

/**
 * Validates the raw environment and returns the typed configuration.
 * Throws one `ConfigValidationError` naming every bad variable, so an operator fixes them all at once.
 */
export function validateEnvironment(raw: Record<string, unknown>): AppConfig {
  // Empty strings mean "unset": `FOO=` in a .env file must not fail as an invalid number.
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '' && v !== undefined));
  const env = plainToInstance(EnvironmentVariables, cleaned, { enableImplicitConversion: false });
  const problems = describe(validateSync(env, { skipMissingProperties: false, whitelist: false }));
  if (env.NODE_ENV === 'production') problems.push(...productionProblems(env));
  // Verification drops and recreates its scratch database: it must never be the one backed up.
  if (env.BACKUP_VERIFY_DB_NAME && env.BACKUP_VERIFY_DB_NAME === (env.DB_NAME ?? 'prepnexus')) {
    problems.push('BACKUP_VERIFY_DB_NAME: must differ from DB_NAME (verification drops and recreates it)');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return toAppConfig(env);
}

/** The variables a database-only command (migrations, seed) reads; everything else is ignored there. */
const isDatabaseVariable = (name: string): boolean => name === 'NODE_ENV' || name.startsWith('DB_');
const DATABASE_REQUIRED_IN_PRODUCTION = ['DB_HOST', 'DB_USER', 'DB_PASSWORD'] as const;

/**
 * For commands that only talk to PostgreSQL (the migration Job, the TypeORM CLI, the seed): validates
 * NODE_ENV and the DB_* variables only, so a migration does not need the JWT secret, the monitoring
 * token, Redis or CORS origins. Throws one `ConfigValidationError` naming every bad one.
 */
export function validateDatabaseEnvironment(raw: Record<string, unknown>): DatabaseConfig & { env: NodeEnv } {
  const relevant = Object.fromEntries(
    Object.entries(raw).filter(([k, v]) => isDatabaseVariable(k) && v !== '' && v !== undefined),
  );
  const env = plainToInstance(EnvironmentVariables, relevant, { enableImplicitConversion: false });
  const problems = describe(validateSync(env, { skipMissingProperties: false, whitelist: false }));
  if (env.NODE_ENV === 'production') {
    for (const name of DATABASE_REQUIRED_IN_PRODUCTION)
      if (!env[name]) problems.push(`${name}: required in production`);
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  const config = toAppConfig(env);
  // Migrating is this command's job: the boot-time switch does not apply.
  return { ...config.db, env: config.env };
}

/** `validateDatabaseEnvironment` over `.env` overlaid by the environment. */
export function loadDatabaseConfig(): DatabaseConfig & { env: NodeEnv } {
  return validateDatabaseEnvironment(readEnvironment());
}

/** The configuration of every entry point: `.env` overlaid by the environment (see readEnvironment), validated. */
export function loadConfig(): AppConfig {
  return validateEnvironment(readEnvironment());
}
