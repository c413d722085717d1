import { DataSource, MigrationExecutor } from 'typeorm';

// Instances booting at once against one database (compose `--scale`, a rollout) take turns: the
// first applies the migrations, the others then find none pending.
const MIGRATION_LOCK_SQL = "SELECT pg_advisory_lock(hashtext('prepnexus-api:migrations'))";
const MIGRATION_UNLOCK_SQL = "SELECT pg_advisory_unlock(hashtext('prepnexus-api:migrations'))";

/**
 * Applies the pending migrations (each in its own transaction) and returns their names. The lock
 * and the migrations share one connection, so this works with a pool of one.
 */
export async function applyPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner('master');
  try {
    await runner.query(MIGRATION_LOCK_SQL);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query(MIGRATION_UNLOCK_SQL);
    }
  } finally {
    await runner.release();
  }
}

/** Names of the migrations this build ships that the database has not applied. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  return pending.map((migration) => migration.name);
}
