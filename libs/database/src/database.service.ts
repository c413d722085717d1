import type { AppConfig } from '@app/config';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import CircuitBreaker from 'opossum';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { BreakerRecovery } from './breaker-recovery';
import { isConnectionError, isOutageError } from './connection-errors';
import { DatabasePools } from './database-pools';
import { DatabaseUnavailableException } from './database-unavailable.exception';
import { pingPool } from './primary-ping';
import type { Replica } from './replicas/replica';
import { ReplicaRouter } from './replicas/replica-router';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Runs SQL (on the primary); `query` rows come back as plain objects. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

type Work = () => Promise<unknown>;

/** A recovery ping must fail well within the probe interval's rhythm, yet allow a real connection. */
const RECOVERY_PING_TIMEOUT_MS = 1000;

const statementNames = new Map<string, string>();

/** A stable name per SQL text (texts are built from fixed fragments, so there are few of them). */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `pn_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * Every repository's way to PostgreSQL. All work passes a circuit breaker: after repeated connection
 * failures it opens and requests fail fast with 503 + Retry-After instead of waiting on a dead
 * server; while it is open a background ping (BreakerRecovery, every 250 ms) closes it as soon as
 * the primary answers, and so does a successful `pingPrimary()` (the health checks): the breaker and
 * the health report never disagree for long. Query errors (constraint violations, bad input) are
 * PostgreSQL answering, so they never trip it.
 */
@Injectable()
export class DatabaseService implements SqlExecutor, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);
  private readonly breaker: CircuitBreaker<[Work], unknown>;
  private readonly retryAfterSeconds: number;
  private readonly prepareStatements: boolean;
  private readonly recovery: BreakerRecovery;

  /** With replicas configured, every write notes the primary's WAL position afterwards (read-your-writes). */
  private readonly tracksWrites: boolean;

  constructor(
    readonly dataSource: DataSource,
    private readonly pools: DatabasePools,
    private readonly replicas: ReplicaRouter,
    config: ConfigService<AppConfig, true>,
  ) {
    const { breakerResetMs, embedded, preparedStatements } = config.get('db', { infer: true });
    // PGlite is one session under all its connections: their prepared statements would collide. Behind
    // PgBouncer < 1.21 in transaction mode, a named statement may be run on a session that never prepared it.
    this.prepareStatements = !embedded && preparedStatements;
    this.tracksWrites = replicas.configured;
    this.retryAfterSeconds = Math.max(1, Math.ceil(breakerResetMs / 1000));
    this.breaker = new CircuitBreaker((work: Work) => work(), {
      timeout: false, // statement_timeout and query_timeout bound every query already
      resetTimeout: breakerResetMs,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      rollingCountTimeout: 10_000,
      errorFilter: (err: unknown) => !isOutageError(err),
    });
    this.breaker.on('open', () => this.logger.error('PostgreSQL breaker OPEN: failing fast with 503'));
    this.breaker.on('halfOpen', () => this.logger.warn('PostgreSQL breaker half-open: probing'));
    this.breaker.on('close', () => this.logger.log('PostgreSQL breaker closed: database is back'));
    this.recovery = new BreakerRecovery(this.breaker, () => this.pingPrimary(RECOVERY_PING_TIMEOUT_MS));
  }

  /**
   * Round trip of `SELECT 1` to the primary in milliseconds, outside the breaker (it must see the
   * database come back while the breaker is open); rejects when it is down or slower than `timeoutMs`.
   * The breaker follows what the ping saw, so health checks and requests agree: an answer closes it,
   * a refused or cut connection opens it (a mere timeout does not: that may be load, not an outage).
   */
  async pingPrimary(timeoutMs: number): Promise<number> {
    try {
      const latencyMs = await pingPool(this.primaryPool(), timeoutMs);
      if (!this.breaker.closed) this.breaker.close();
      return latencyMs;
    } catch (err: unknown) {
      if (this.breaker.closed && isOutageError(err)) this.breaker.open();
      throw err;
    }
  }

  /**
   * With replicas: the primary's position once booted (migrations at boot included) is the first write
   * this instance knows of, so no replica serves it data older than what the primary had at start.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.tracksWrites) await this.noteWritePosition();
  }

  onApplicationShutdown(): void {
    this.recovery.stop();
  }

  get breakerState(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Counts since start, for monitoring. */
  get breakerStats(): { failures: number; rejects: number; successes: number } {
    const s = this.breaker.stats;
    return { failures: s.failures, rejects: s.rejects, successes: s.successes };
  }

  /**
   * Rows of one statement on the primary's pool (straight to `pg`: rows for SELECT and RETURNING alike).
   * Statements are prepared per connection (named by a hash of their text), so PostgreSQL plans each
   * hot query once per connection instead of on every call: planning was a third of a list query.
   */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.guard(() => this.onPrimary<T>(sql, params));
  }

  /**
   * Rows of one writing statement (its own transaction) on the primary; with replicas, its position
   * is noted afterwards, as `transaction()` and `withManager()` do, so this instance's reads see it.
   */
  write<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.guardWrite(() => this.onPrimary<T>(sql, params));
  }

  /**
   * Rows of a read (SELECT only): the repositories' reads, so uncached reads and cache fills. With
   * replicas configured it runs on one that has replayed every write this instance knows of (its own,
   * and those other instances announced with their cache invalidations: WritePositions), else on the
   * primary; a replica that fails mid-read is left for the primary, which answers instead (no error).
   * Without replicas this is `query()`: no extra work, no extra await.
   */
  read<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const replica = this.replicas.configured ? this.replicas.pick() : undefined;
    if (replica === undefined) return this.query<T>(sql, params);
    return this.guard(() => this.onReplica<T>(replica, sql, params));
  }

  /** `read()` as a SqlExecutor, for code that runs the same SQL inside a transaction or outside one. */
  readonly reader: SqlExecutor = { query: (sql, params) => this.read(sql, params) };

  private async onPrimary<T>(sql: string, params: unknown[]): Promise<T[]> {
    const name = this.prepareStatements ? statementName(sql) : undefined;
    return (await this.primaryPool().query<T & QueryResultRow>({ name, text: sql, values: params })).rows;
  }

  private async onReplica<T>(replica: Replica, sql: string, params: unknown[]): Promise<T[]> {
    try {
      const name = this.prepareStatements ? statementName(sql) : undefined;
      return await replica.query<T & QueryResultRow>(name, sql, params);
    } catch {
      return this.onPrimary<T>(sql, params);
    }
  }

  /**
   * After a write commits: the primary's WAL insert position, which covers its commit record, so a
   * replica that has replayed it shows the write. One round trip, only with replicas configured.
   */
  private async noteWritePosition(): Promise<void> {
    try {
      const [row] = await this.onPrimary<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn', []);
      this.replicas.positions.noteWrite(row.lsn);
    } catch {
      // The write is committed: answer it, and keep reads off the replicas for a while instead.
      this.replicas.unknownWritePosition();
    }
  }

  /**
   * TypeORM work outside a transaction — entity repositories, query builders, `manager.insert/update/
   * delete` — through the same breaker as `query()`: a connection outage (or the breaker open) becomes
   * DatabaseUnavailableException (503 + Retry-After); errors PostgreSQL answers with (QueryFailedError,
   * e.g. a unique violation, whose `driverError.constraint` `uniqueViolation()` reads) pass through.
   * The manager works on the primary (TypeORM knows no other server). Several writes that must commit
   * together belong in `transaction()`, whose second argument is the transaction's EntityManager.
   */
  withManager<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.guardWrite(() => work(this.dataSource.manager));
  }

  private primaryPool(): Pool {
    const pool = this.pools.primary();
    if (!pool) throw new Error('The database is not connected (data source not initialized or already closed)');
    return pool;
  }

  /**
   * One transaction on one pooled connection. Never await another pooled query inside `work`:
   * on the embedded database (one session underneath) that would deadlock.
   */
  transaction<T>(work: (tx: SqlExecutor, manager: EntityManager) => Promise<T>): Promise<T> {
    const run = () =>
      this.dataSource.transaction((manager) =>
        work(
          {
            query: async <R>(sql: string, params: unknown[] = []) =>
              (await manager.queryRunner!.query(sql, params, true)).records as R[],
          },
          manager,
        ),
      );
    return this.guardWrite(run);
  }

  /** `guard()` for work that writes: with replicas, the primary's position is noted once it committed. */
  private guardWrite<T>(work: () => Promise<T>): Promise<T> {
    if (!this.tracksWrites) return this.guard(work);
    return this.guard(async () => {
      const result = await work();
      await this.noteWritePosition();
      return result;
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(work)) as T;
    } catch (err: unknown) {
      if (CircuitBreaker.isOurError(err as Error) || isConnectionError(err)) {
        throw new DatabaseUnavailableException(this.retryAfterSeconds);
      }
      throw err;
    }
  }
}
