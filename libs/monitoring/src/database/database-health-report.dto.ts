import type { BreakerState, ReplicaState } from '@app/database';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BackupHealthDto } from '../backup/backup-health.dto';

export class PoolStatsDto {
  @ApiProperty({ description: 'Open connections' }) total!: number;
  @ApiProperty({ description: 'Open connections not in use' }) idle!: number;
  @ApiProperty({ description: 'Queries waiting for a connection' }) waiting!: number;
  @ApiProperty({ description: 'Pool size limit (DB_POOL_MAX)' }) max!: number;
}

export class PrimaryHealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty({ type: Number, nullable: true, description: 'Round trip of `SELECT 1`, ms' }) latencyMs!: number | null;
  @ApiPropertyOptional({ description: 'Why it is down' }) message?: string;
  @ApiPropertyOptional({ type: PoolStatsDto, description: 'Absent before the pool exists' }) pool?: PoolStatsDto;
  @ApiPropertyOptional({
    description:
      'With replicas configured: reads it answered because no replica was up and caught up with the newest known write, since start',
  })
  readsInsteadOfReplica?: number;
}

export class ReplicaHealthDto {
  @ApiProperty() host!: string;
  @ApiProperty() port!: number;
  @ApiProperty({ enum: ['up', 'down'], description: 'Whether it answered this check' }) status!: 'up' | 'down';
  @ApiProperty({
    enum: ['connecting', 'up', 'lagging', 'down', 'not-standby'] satisfies ReplicaState[],
    description:
      'Routing: only `up` serves reads (those it has replayed far enough for); the others send them to the primary',
  })
  state!: ReplicaState;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'WAL bytes between the newest known position (a write, or WAL it received) and its replay',
  })
  lagBytes!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'How long it has held WAL or a known write it has not replayed, ms (0 when caught up)',
  })
  lagMs!: number | null;
  @ApiProperty({ description: 'Reads it answered since start' }) readsServed!: number;
  @ApiProperty({ description: 'Reads that failed on it and were answered by the primary, since start' })
  readsFailedOver!: number;
  @ApiProperty({ type: String, nullable: true, description: 'pg_last_wal_replay_lsn() when last polled' })
  replayLsn!: string | null;
  @ApiProperty({ type: Number, nullable: true }) latencyMs!: number | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'False means this host is not a standby' })
  inRecovery!: boolean | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Replay lag behind the primary, seconds (0 when caught up)',
  })
  replayLagSeconds!: number | null;
  @ApiPropertyOptional({ description: 'Why it is down' }) message?: string;
  @ApiProperty({ type: PoolStatsDto }) pool!: PoolStatsDto;
}

export class BreakerDto {
  @ApiProperty({
    enum: ['closed', 'open', 'half-open'] satisfies BreakerState[],
    description: 'open: database work fails fast with 503',
  })
  state!: BreakerState;
  @ApiProperty({ description: 'Connection failures since start' }) failures!: number;
  @ApiProperty({ description: 'Calls refused while open, since start' }) rejects!: number;
  @ApiProperty({ description: 'Successful calls since start' }) successes!: number;
}

export class MigrationsDto {
  @ApiProperty({ type: [String], nullable: true, description: 'Not yet applied; null when the primary is unreachable' })
  pending!: string[] | null;
  @ApiPropertyOptional({ description: 'Why they could not be read' }) message?: string;
}

export class DatabaseHealthReportDto {
  @ApiProperty({ enum: ['up', 'down'], description: 'The primary: down answers 503 with this same body' })
  status!: 'up' | 'down';
  @ApiProperty({ format: 'date-time' }) checkedAt!: string;
  @ApiProperty({ type: PrimaryHealthDto }) primary!: PrimaryHealthDto;
  @ApiProperty({ type: [ReplicaHealthDto] }) replicas!: ReplicaHealthDto[];
  @ApiProperty({ type: BreakerDto }) breaker!: BreakerDto;
  @ApiProperty({ type: MigrationsDto }) migrations!: MigrationsDto;
  @ApiProperty({ type: BackupHealthDto, description: 'The last backup and its verification (from BACKUP_DIR)' })
  backup!: BackupHealthDto;
}
