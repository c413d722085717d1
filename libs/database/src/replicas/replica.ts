import type { Logger } from '@nestjs/common';
import { Pool, type PoolConfig, type QueryResultRow } from 'pg';
import { isConnectionError } from '../connection-errors';
import { poolStats, type PoolStats } from '../database-pools';
import { parseLsn, type Lsn } from './lsn';
import type { WritePositions } from './write-positions';

/**
 * `connecting`: not heard from yet (boot, never fatal); `up`: serves reads it has replayed far enough for;
 * `lagging`: behind by more than DB_REPLICA_MAX_LAG_MS; `down`: unreachable; `not-standby`: answers but
 * is no replica (replaying nothing, so it can never be proved caught up).
 */
export type ReplicaState = 'connecting' | 'up' | 'lagging' | 'down' | 'not-standby';

/** What monitoring shows of one replica. */
export interface ReplicaStatus {
  host: string;
  port: number;
  state: ReplicaState;
  /** WAL bytes between the newest position known (a write here or heard of, or received by it) and its replay. */
  lagBytes: number | null;
  /** How long it has had WAL (or a known write) it has not replayed, ms; 0 when caught up. */
  lagMs: number | null;
  /** Reads it answered since start. */
  readsServed: number;
  /** Reads routed to it that failed there and were answered by the primary instead. */
  readsFailedOver: number;
  /** Its replay position when last polled (`pg_last_wal_replay_lsn()`). */
  replayLsn: string | null;
  pool: PoolStats;
}

interface PositionRow {
  standby: boolean;
  replayed: string | null;
  received: string | null;
}

// One cheap round trip: no table is read, so polling costs the replica next to nothing.
const POSITION_SQL = `SELECT pg_is_in_recovery() AS standby,
  pg_last_wal_replay_lsn()::text AS replayed, pg_last_wal_receive_lsn()::text AS received`;

/** While a replica is down or not a standby, it is asked again this often (it is used again once it answers). */
const RETRY_INTERVAL_MS = 250;

export interface ReplicaOptions {
  host: string;
  port: number;
  pool: PoolConfig;
  pollMs: number;
  maxLagMs: number;
}

/**
 * One read replica: a lazy `pg` pool (nothing connects until the first poll, and a failed connection is
 * only a state change, never an error for a request or for boot) and a poller that reads its replay
 * position every `pollMs`, one poll at a time, so routing a read is a comparison of two bigints.
 */
export class Replica {
  readonly host: string;
  readonly port: number;
  private readonly pool: Pool;
  private state: ReplicaState = 'connecting';
  private replayed: Lsn = 0n;
  private replayedText: string | null = null;
  private received: Lsn = 0n;
  /** Since when it has held WAL it has not replayed (this clock), and up to which position. */
  private pendingSince: number | undefined;
  private pendingUpTo: Lsn = 0n;
  private served = 0;
  private failedOver = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly options: ReplicaOptions,
    private readonly positions: WritePositions,
    private readonly logger: Logger,
  ) {
    this.host = options.host;
    this.port = options.port;
    this.pool = new Pool(options.pool);
    // A pooled connection cut while idle (replica stopped) is reported here; unhandled, it would crash the process.
    this.pool.on('error', (err) => this.markDown(err));
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get replayPosition(): Lsn {
    return this.replayed;
  }

  /** Polled successfully as a standby (up or lagging): its replay position is current. */
  get replaying(): boolean {
    return this.state === 'up' || this.state === 'lagging';
  }

  /** May answer a read now: up, and has replayed every write this instance knows of. */
  get eligible(): boolean {
    return this.state === 'up' && this.replayed >= this.positions.newestPosition;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pool.end().catch(() => undefined);
  }

  /** Rows of a read; rejects when the replica fails (the caller then asks the primary). */
  async query<T extends QueryResultRow>(name: string | undefined, text: string, values: unknown[]): Promise<T[]> {
    try {
      const { rows } = await this.pool.query<T>({ name, text, values });
      this.served++;
      return rows;
    } catch (err: unknown) {
      this.failedOver++;
      // A query PostgreSQL refused (e.g. cancelled by a recovery conflict) says nothing about its health.
      if (isConnectionError(err)) this.markDown(err);
      throw err;
    }
  }

  /** One statement for monitoring, not counted as a read and not routed: rejects when it fails. */
  async probe<T extends QueryResultRow>(text: string): Promise<T[]> {
    return (await this.pool.query<T>(text)).rows;
  }

  status(): ReplicaStatus {
    // Lag means something only for a standby that answered its last poll.
    const known = this.replaying;
    return {
      host: this.host,
      port: this.port,
      state: this.state,
      lagBytes: known ? Number(this.lagBytes()) : null,
      lagMs: known ? this.lagMs(Date.now()) : null,
      readsServed: this.served,
      readsFailedOver: this.failedOver,
      replayLsn: this.replayedText,
      pool: poolStats(this.pool),
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), delayMs).unref();
  }

  private async poll(): Promise<void> {
    try {
      const { rows } = await this.pool.query<PositionRow>(POSITION_SQL);
      this.learn(rows[0], Date.now());
    } catch (err: unknown) {
      this.markDown(err);
    } finally {
      this.schedule(this.state === 'down' || this.state === 'not-standby' ? RETRY_INTERVAL_MS : this.options.pollMs);
    }
  }

  private learn(row: PositionRow, now: number): void {
    const replayed = parseLsn(row.replayed);
    if (!row.standby || replayed === undefined) {
      this.setState('not-standby', 'it is not a standby (pg_is_in_recovery() is false): no reads go to it');
      return;
    }
    this.replayed = replayed;
    this.replayedText = row.replayed;
    this.received = parseLsn(row.received) ?? replayed;
    if (this.pendingSince !== undefined && replayed >= this.pendingUpTo) this.pendingSince = undefined;
    if (this.pendingSince === undefined && this.received > replayed) {
      this.pendingSince = now;
      this.pendingUpTo = this.received;
    }
    const lagMs = this.lagMs(now);
    if (lagMs > this.options.maxLagMs) {
      this.setState('lagging', `replay is ${lagMs} ms behind (DB_REPLICA_MAX_LAG_MS=${this.options.maxLagMs})`);
    } else {
      this.setState('up', 'serving reads');
    }
  }

  private lagBytes(): Lsn {
    const newest = this.positions.newestPosition > this.received ? this.positions.newestPosition : this.received;
    return newest > this.replayed ? newest - this.replayed : 0n;
  }

  private lagMs(now: number): number {
    const holding = this.pendingSince === undefined ? 0 : now - this.pendingSince;
    return Math.max(holding, this.positions.delayOf(this.replayed, now));
  }

  private markDown(err: unknown): void {
    if (this.stopped) return;
    const message = err instanceof Error ? err.message : String(err);
    this.setState('down', `unreachable (${message}): reads go to the primary`);
  }

  /** One log line per change of state, never one per failed read or poll. */
  private setState(state: ReplicaState, why: string): void {
    if (state === this.state) return;
    const was = this.state;
    this.state = state;
    if (state === 'up') this.logger.log(`Replica ${this.address} is up: ${why}`);
    else if (was !== 'connecting' || state !== 'down') this.logger.warn(`Replica ${this.address} is ${state}: ${why}`);
    else this.logger.warn(`Replica ${this.address} is down at start: ${why}`);
  }
}
