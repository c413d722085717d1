import { DatabaseService } from '@app/database';
import { Injectable } from '@nestjs/common';
import { BackupStatusService } from '../backup/backup-status.service';
import { DATABASE_PING_TIMEOUT_MS, REPLICA_CHECK_TIMEOUT_MS } from '../monitoring.constants';
import { round3 } from '../round';
import { describeFailure } from '../with-timeout';
import type {
  DatabaseHealthReportDto,
  MigrationsDto,
  PrimaryHealthDto,
  ReplicaHealthDto,
} from './database-health-report.dto';
import { DatabaseProbeService } from './database-probe.service';

/** Builds /api/monitoring/database/health. Every check is bounded: a dead database never hangs it. */
@Injectable()
export class DatabaseHealthService {
  constructor(
    private readonly probe: DatabaseProbeService,
    private readonly database: DatabaseService,
    private readonly backups: BackupStatusService,
  ) {}

  async report(): Promise<DatabaseHealthReportDto> {
    const [primary, migrations, replicas, backup] = await Promise.all([
      this.primary(),
      this.migrations(),
      this.replicas(),
      this.backups.report(),
    ]);
    const routed = replicas.length === 0 ? {} : { readsInsteadOfReplica: this.probe.readsOnPrimary() };
    return {
      status: primary.status,
      checkedAt: new Date().toISOString(),
      primary: { ...primary, ...routed },
      replicas,
      breaker: { state: this.database.breakerState, ...this.database.breakerStats },
      migrations,
      backup,
    };
  }

  /** Each configured replica, probed in parallel. */
  replicas(): Promise<ReplicaHealthDto[]> {
    return Promise.all(Array.from({ length: this.probe.replicaCount() }, (_, i) => this.replica(i)));
  }

  private async primary(): Promise<PrimaryHealthDto> {
    try {
      const latencyMs = round3(await this.database.pingPrimary(DATABASE_PING_TIMEOUT_MS));
      return { status: 'up', latencyMs, pool: this.probe.primaryPool() };
    } catch (err: unknown) {
      return { status: 'down', latencyMs: null, message: describeFailure(err), pool: this.probe.primaryPool() };
    }
  }

  private async migrations(): Promise<MigrationsDto> {
    try {
      return { pending: await this.probe.pendingMigrations(DATABASE_PING_TIMEOUT_MS) };
    } catch (err: unknown) {
      return { pending: null, message: describeFailure(err) };
    }
  }

  private async replica(index: number): Promise<ReplicaHealthDto> {
    try {
      const replica = await this.probe.probeReplica(index, REPLICA_CHECK_TIMEOUT_MS);
      return { ...replica, status: 'up', latencyMs: round3(replica.latencyMs) };
    } catch (err: unknown) {
      return {
        ...this.probe.replicaStatus()[index],
        status: 'down',
        latencyMs: null,
        inRecovery: null,
        replayLagSeconds: null,
        message: describeFailure(err),
      };
    }
  }
}
