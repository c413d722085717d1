import { loadConfigOrExit } from '@app/config';
import { buildDataSourceOptions } from '@app/database';
import { DataSource } from 'typeorm';
import { FULL_SEED, seedDatabase } from './seed';

/** `npm run seed`: migrates, then loads the full sample data set into the configured database. */
async function main(): Promise<void> {
  const config = loadConfigOrExit('seed failed');
  const ds = new DataSource(buildDataSourceOptions(config.db));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(`migrations: ${applied.length} applied`);
    console.log(`seeding ${config.db.host}:${config.db.port}/${config.db.name} ...`);
    const summary = await seedDatabase(ds, FULL_SEED, (line) => console.log(`  ${line}`));
    console.log(summary);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
