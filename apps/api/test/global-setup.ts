import { DataSource } from 'typeorm';
// Relative paths: Jest's moduleNameMapper does not apply to globalSetup.
import { loadConfig } from '../../../libs/config/src/validate-environment';
import { buildDataSourceOptions } from '../../../libs/database/src/typeorm-options';
import './setup-env';

/** Once per run: a clean schema in the test database, migrated from scratch (so migrations are tested too). */
export default async function globalSetup(): Promise<void> {
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
