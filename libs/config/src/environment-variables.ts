// class-transformer decorators need the metadata API, also when config loads outside Nest (CLI, seed).
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The raw environment, one property per variable documented in `.env.example`. */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'test', 'production']) NODE_ENV?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT?: number;

  @IsOptional() @IsString() @MinLength(1) DB_HOST?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535) DB_PORT?: number;
  @IsOptional() @IsString() @Matches(/^[A-Za-z_][A-Za-z0-9_$-]*$/) DB_NAME?: string;
  @IsOptional() @IsString() DB_USER?: string;
  @IsOptional() @IsString() DB_PASSWORD?: string;
  @IsOptional()
  @Matches(/^\s*[\w.-]+(:\d+)?\s*(,\s*[\w.-]+(:\d+)?\s*)*$/, {
    message: 'DB_REPLICA_HOSTS must be a comma-separated list of host or host:port',
  })
  DB_REPLICA_HOSTS?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) DB_POOL_MAX?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(600000) DB_STATEMENT_TIMEOUT_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(60000) DB_CONNECT_TIMEOUT_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(300000) DB_BREAKER_RESET_MS?: number;
  @IsOptional() @IsIn(['true', 'false']) DB_MIGRATE_ON_BOOT?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(3600000) DB_REPLICA_MAX_LAG_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) DB_REPLICA_POLL_MS?: number;
  @IsOptional() @IsIn(['true', 'false']) DB_PREPARED_STATEMENTS?: string;

  @IsOptional() @IsString() @MinLength(1) REDIS_HOST?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535) REDIS_PORT?: number;
  @IsOptional()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL?: string;
  @IsOptional()
  @Matches(/^\s*[\w.-]+(:\d+)?\s*(,\s*[\w.-]+(:\d+)?\s*)*$/, {
    message: 'REDIS_SENTINELS must be a comma-separated list of host or host:port',
  })
  REDIS_SENTINELS?: string;
  @IsOptional() @IsString() @Matches(/^[\w.-]{1,64}$/) REDIS_SENTINEL_NAME?: string;

  @IsOptional() @IsIn(['true', 'false']) CACHE_ENABLED?: string;
  @IsOptional()
  @Matches(/^[\w.-]{1,64}$/, { message: 'CACHE_KEYSPACE may contain letters, digits, _ . - (max 64)' })
  CACHE_KEYSPACE?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(86400) CACHE_TTL_S?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(4096) CACHE_L1_MAX_MB?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(604800) CACHE_STALE_MAX_S?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(60000) CACHE_UNCONFIRMED_MAX_MS?: number;

  @IsOptional() @IsString() JWT_SECRET?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(60) @Max(2592000) JWT_EXPIRES_IN_S?: number;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @IsOptional() @IsString() @MinLength(16) @MaxLength(512) MONITORING_TOKEN?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(120000) SHUTDOWN_GRACE_MS?: number;
  @IsOptional() @IsIn(LOG_LEVELS) LOG_LEVEL?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10240) BODY_LIMIT_KB?: number;
  @IsOptional() @IsString() @MinLength(1) EMBEDDED_DB_DIR?: string;
  @IsOptional()
  @Matches(/^(false|\d{1,2}|[\da-fA-F.:/]+(\s*,\s*[\da-fA-F.:/]+)*)$/, {
    message: 'TRUST_PROXY must be false, a hop count (e.g. 1) or the proxy addresses/CIDRs, comma-separated',
  })
  TRUST_PROXY?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000000) AUTH_RATE_LIMIT_PER_MIN?: number;

  @IsOptional() @IsString() @MinLength(1) BACKUP_DIR?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]{1,64}$/, { message: 'CLUSTER_NAME may contain letters, digits, . and - (max 64)' })
  CLUSTER_NAME?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) BACKUP_KEEP?: number;
  @IsOptional() @IsString() @MinLength(1) BACKUP_COPY_DIR?: string;
  @IsOptional() @IsString() @MinLength(1) BACKUP_VERIFY_HOST?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535) BACKUP_VERIFY_PORT?: number;
  @IsOptional() @IsString() BACKUP_VERIFY_USER?: string;
  @IsOptional() @IsString() BACKUP_VERIFY_PASSWORD?: string;
  @IsOptional() @IsString() @Matches(/^[A-Za-z_][A-Za-z0-9_$-]*$/) BACKUP_VERIFY_DB_NAME?: string;
}
