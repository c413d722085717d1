export type NodeEnv = 'development' | 'test' | 'production';

export interface DatabaseConfig {
  /** True when no DB_HOST is set outside production: an embedded PGlite server is started. */
  embedded: boolean;
  host: string;
  port: number;
  name: string;
  user: string;
  password: string;
  /** Read replicas (DB_REPLICA_HOSTS): reads go to one that has replayed every write this instance knows of. */
  replicaHosts: { host: string; port: number }[];
  /** A replica further behind than this (replay delay, ms) serves no reads until it catches up. */
  replicaMaxLagMs: number;
  /** How often each replica's replay position is read (ms): reads never wait for it. */
  replicaPollMs: number;
  /** Named (server-side) prepared statements; false behind PgBouncer < 1.21 in transaction mode. */
  preparedStatements: boolean;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** How long the PostgreSQL breaker stays open before a request probes the database again. */
  breakerResetMs: number;
  /** Apply pending migrations at boot (never in production, where readiness waits for the migrate step). */
  migrateOnBoot: boolean;
}

export interface CacheConfig {
  enabled: boolean;
  ttlSeconds: number;
  l1MaxBytes: number;
  /** While PostgreSQL is down, reads cached within this long are answered from their newest copy. */
  staleMaxSeconds: number;
  /** Scopes this deployment's keys and channel in a shared Redis (default: the database name). */
  keyspace: string;
  /**
   * The longest an instance trusts its in-process copies without hearing the invalidation bus: past it,
   * reads bypass L1 and the response tier (a hung or silent Redis could be hiding another instance's write).
   */
  unconfirmedMaxMs: number;
}

/** Where backups go and how they are checked (scripts/backup.mjs, backup-verify.mjs); the app reads their status. */
export interface BackupConfig {
  /** Dumps, their manifests and the status file; `null`: no backups configured here. */
  dir: string | null;
  /** Names the server in file names, so environments sharing a directory keep apart (CLUSTER_NAME, default host-port). */
  cluster: string;
  /** Dumps of this database and cluster to keep (newest first); older ones are removed after a successful backup. */
  keep: number;
  /** A second directory that receives a copy of each dump and manifest (same retention), or `null`. */
  copyDir: string | null;
  /** Where verification restores the dump: a scratch database, dropped afterwards (default: the DB_* server). */
  verify: { host: string; port: number; user: string; password: string; database: string };
}

/** The whole, validated configuration. Read it through `ConfigService<AppConfig, true>` with `{ infer: true }`. */
export interface AppConfig {
  env: NodeEnv;
  port: number;
  logLevel: string;
  shutdownGraceMs: number;
  /** `true` allows any origin (development only). */
  corsOrigins: string[] | true;
  bodyLimitBytes: number;
  /** Honour X-Forwarded-For (only behind a proxy that sets it, or clients could pick their own IP). */
  trustProxy: false | number | string[];
  /** Register and login attempts per client IP per minute. */
  authRateLimitPerMinute: number;
  db: DatabaseConfig;
  /**
   * `null` when no Redis is configured: the cache is then in-process only. With `sentinels`
   * (REDIS_SENTINELS), they name the primary of `sentinelName`; `url` then only carries credentials.
   */
  redis: { url: string; sentinels?: { host: string; port: number }[]; sentinelName?: string } | null;
  cache: CacheConfig;
  jwt: { secret: string; expiresInSeconds: number };
  monitoringToken: string | null;
  embeddedDataDir: string;
  backup: BackupConfig;
}
