import type { AppConfig } from '@app/config';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
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

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Runs SQL on the primary; `query` rows come back as plain objects. */
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
export class DatabaseService implements SqlExecutor, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);
  private readonly breaker: CircuitBreaker<[Work], unknown>;
  private readonly retryAfterSeconds: number;
  private readonly prepareStatements: boolean;
  private readonly recovery: BreakerRecovery;

  constructor(
    readonly dataSource: DataSource,
    private readonly pools: DatabasePools,
    config: ConfigService<AppConfig, true>,
  ) {
    const { breakerResetMs, embedded } = config.get('db', { infer: true });
    this.prepareStatements = !embedded;
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
    // PGlite is one session under all its connections: their prepared statements would collide.
    const name = this.prepareStatements ? statementName(sql) : undefined;
    return this.guard(
      async () => (await this.primaryPool().query<T & QueryResultRow>({ name, text: sql, values: params })).rows,
    );
  }

  /**
   * TypeORM work outside a transaction — entity repositories, query builders, `manager.insert/update/
   * delete` — through the same breaker as `query()`: a connection outage (or the breaker open) becomes
   * DatabaseUnavailableException (503 + Retry-After); errors PostgreSQL answers with (QueryFailedError,
   * e.g. a unique violation, whose `driverError.constraint` `uniqueViolation()` reads) pass through.
   * The manager works on the primary (`replication.defaultMode`). Several writes that must commit
   * together belong in `transaction()`, whose second argument is the transaction's EntityManager.
   */
  withManager<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.guard(() => work(this.dataSource.manager));
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
    return this.guard(() =>
      this.dataSource.transaction((manager) =>
        work(
          {
            query: async <R>(sql: string, params: unknown[] = []) =>
              (await manager.queryRunner!.query(sql, params, true)).records as R[],
          },
          manager,
        ),
      ),
    );
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
