import type { AppConfig } from '@app/config';
import { DatabasePools, type PoolStats } from '@app/database';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { performance } from 'node:perf_hooks';
import { DataSource, MigrationExecutor } from 'typeorm';
import { withTimeout } from '../with-timeout';

export interface ReplicaProbe {
  host: string;
  port: number;
  latencyMs: number;
  inRecovery: boolean;
  /** Seconds behind the primary; 0 when fully replayed, null when unknown (never replayed, or not a standby). */
  replayLagSeconds: number | null;
  pool: PoolStats;
}

interface ReplicaRow {
  in_recovery: boolean;
  lag_seconds: number | null;
}

// On an idle primary, now() - last replay timestamp grows although the standby is caught up:
// when everything received has been replayed, the lag is 0.
const REPLICA_LAG_SQL = `
  SELECT pg_is_in_recovery() AS in_recovery,
         CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
              ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8
         END AS lag_seconds`;

/**
 * Looks at PostgreSQL directly, never through the DatabaseService breaker: while the breaker is
 * open it answers nothing, and health checks must see the database come back to report it.
 */
@Injectable()
export class DatabaseProbeService {
  // Migrations are not reverted under a running app: once all are applied, stop asking.
  private migrationsApplied = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pools: DatabasePools,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** Names of the migrations this build ships that the primary has not applied. */
  async pendingMigrations(timeoutMs: number): Promise<string[]> {
    if (this.migrationsApplied) return [];
    const pending = await withTimeout(new MigrationExecutor(this.dataSource).getPendingMigrations(), timeoutMs);
    this.migrationsApplied = pending.length === 0;
    return pending.map((migration) => migration.name);
  }

  primaryPool(): PoolStats | undefined {
    return this.pools.stats().primary;
  }

  /** Replicas in configured order. */
  replicaCount(): number {
    return this.pools.replicas().length;
  }

  replicaPools(): PoolStats[] {
    return this.pools.stats().replicas;
  }

  /** Latency and replay lag of replica `index`; rejects when it is down or slow. */
  async probeReplica(index: number, timeoutMs: number): Promise<ReplicaProbe> {
    const pool = this.pools.replicas()[index];
    const { host, port } = this.config.get('db', { infer: true }).replicaHosts[index];
    const started = performance.now();
    const { rows } = await withTimeout(pool.query<ReplicaRow>(REPLICA_LAG_SQL), timeoutMs);
    const latencyMs = performance.now() - started;
    const [row] = rows;
    return {
      host,
      port,
      latencyMs,
      inRecovery: row.in_recovery,
      replayLagSeconds: row.lag_seconds,
      pool: this.pools.stats().replicas[index],
    };
  }

  replicaAddress(index: number): { host: string; port: number } {
    return this.config.get('db', { infer: true }).replicaHosts[index];
  }
}
