import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** One `pg` pool's occupancy, for monitoring. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export function poolStats(pool: Pool): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max };
}

/**
 * TypeORM's `pg` pool (the primary's): the one place that reads them out of the driver (TypeORM has no public
 * accessor). Before the data source connects, and after it closes, there are none.
 */
@Injectable()
export class DatabasePools {
  constructor(private readonly dataSource: DataSource) {}

  primary(): Pool | undefined {
    return this.driver()?.master as Pool | undefined;
  }

  /** The primary's pool occupancy (replicas report theirs in ReplicaRouter.status()). */
  stats(): { primary: PoolStats | undefined } {
    const primary = this.primary();
    return { primary: primary && poolStats(primary) };
  }

  private driver(): PostgresDriver | null {
    return this.dataSource.isInitialized ? (this.dataSource.driver as PostgresDriver) : null;
  }
}
