import { DataSource } from 'typeorm';
// Relative paths: Jest's moduleNameMapper does not apply to globalSetup.
import { loadConfig } from '../libs/config/src/validate-environment';
import { buildDataSourceOptions } from '../libs/database/src/typeorm-options';
import '../apps/api/test/setup-env';

// Jest runs the global setup of every selected project (medium and e2e) in one process before any
// test: the schema is rebuilt once per run, not once per project.
let migrated: Promise<void> | undefined;

/** Once per run: a clean schema in the test database, migrated from scratch (so migrations are tested too). */
export default function migrateTestDatabase(): Promise<void> {
  migrated ??= rebuildSchema();
  return migrated;
}

async function rebuildSchema(): Promise<void> {
  const config = loadConfig();
  const ds = new DataSource(buildDataSourceOptions(config.db));
  await ds.initialize();
  try {
    await ds.query('DROP SCHEMA IF EXISTS public CASCADE');
    await ds.query('CREATE SCHEMA public');
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
