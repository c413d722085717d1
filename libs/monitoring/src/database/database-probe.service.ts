import { DatabasePools, ReplicaRouter, type PoolStats, type ReplicaStatus } from '@app/database';
import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DataSource, MigrationExecutor } from 'typeorm';
import { withTimeout } from '../with-timeout';

export interface ReplicaProbe extends ReplicaStatus {
  latencyMs: number;
  inRecovery: boolean;
  /** Seconds behind the primary; 0 when fully replayed, null when unknown (never replayed, or not a standby). */
  replayLagSeconds: number | null;
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
    private readonly replicas: ReplicaRouter,
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
    return this.replicas.replicas.length;
  }

  /** What routing knows of each replica (state, lag, reads served, pool): no query. */
  replicaStatus(): ReplicaStatus[] {
    return this.replicas.status();
  }

  /** Reads routed to the primary because no replica could take them (with replicas configured). */
  readsOnPrimary(): number {
    return this.replicas.readsOnPrimary;
  }

  /** Routing's view of replica `index` plus a live round trip (latency, in recovery, replay lag); rejects when it is down or slow. */
  async probeReplica(index: number, timeoutMs: number): Promise<ReplicaProbe> {
    const replica = this.replicas.replicas[index];
    const started = performance.now();
    const [row] = await withTimeout(replica.probe<ReplicaRow>(REPLICA_LAG_SQL), timeoutMs);
    const latencyMs = performance.now() - started;
    return { ...replica.status(), latencyMs, inRecovery: row.in_recovery, replayLagSeconds: row.lag_seconds };
  }
}
