import type { DatabaseConfig } from '@app/config';
import type { PoolConfig } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';

export const APPLICATION_NAME = 'prepnexus-api';

/** Where the primary actually is: the configured server, or the embedded one started at boot. */
export interface DatabaseEndpoint {
  host: string;
  port: number;
}

function poolOptions(db: DatabaseConfig) {
  return {
    max: db.poolMax,
    connectionTimeoutMillis: db.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    // Server-side limits: a runaway query or a forgotten transaction cannot hold a connection forever.
    statement_timeout: db.statementTimeoutMs,
    idle_in_transaction_session_timeout: db.statementTimeoutMs * 2,
    // Client-side limit too, so a dead server (no answer at all) cannot hang a request.
    query_timeout: db.statementTimeoutMs + 1000,
    keepAlive: true,
  };
}

/** TypeORM options: the primary only. Schema changes are migrations only. */
export function buildDataSourceOptions(db: DatabaseConfig, endpoint: DatabaseEndpoint = db): DataSourceOptions {
  const credentials = { username: db.user, password: db.password, database: db.name };
  const primary = { ...credentials, host: endpoint.host, port: endpoint.port };
  const base = {
    type: 'postgres' as const,
    applicationName: APPLICATION_NAME,
    connectTimeoutMS: db.connectTimeoutMs,
    poolSize: db.poolMax,
    extra: poolOptions(db),
    synchronize: false,
    migrationsRun: false,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    // Not 'error': TypeORM would console.log every failed statement with its parameters — password
    // hashes on a registration race, outside pino. A failed query reaches its caller as an exception,
    // which answers 422/503 or is logged as a 500 by the error filter.
    logging: ['warn' as const],
  };
  // Replicas are not TypeORM's: it would connect to every one at boot (a replica down stopped the app)
  // and pick one at random for entity reads. ReplicaRouter owns them, lazily (replicas/).
  return { ...base, ...primary };
}

/** A `pg` pool for one read replica: the primary's limits; connects on first use only. */
export function replicaPoolConfig(db: DatabaseConfig, replica: DatabaseEndpoint): PoolConfig {
  return {
    ...poolOptions(db),
    host: replica.host,
    port: replica.port,
    user: db.user,
    password: db.password,
    database: db.name,
    application_name: APPLICATION_NAME,
  };
}
