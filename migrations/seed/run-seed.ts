import { loadDatabaseConfigOrExit } from '@app/config';
import { buildDataSourceOptions } from '@app/database';
import { DataSource } from 'typeorm';
import { productionSeedRefusal } from './production-guard';
import { FULL_SEED, seedDatabase } from './seed';

/** Exit code of a refused run: not a failure of the seed, a decision (1 stays "something broke"). */
const REFUSED = 2;

/**
 * `npm run seed` (`-- --force` in production): migrates, then loads the full sample data set into the
 * configured database. Reads the database settings only.
 */
async function main(): Promise<void> {
  const db = loadDatabaseConfigOrExit('seed failed');
  const refusal = productionSeedRefusal(db.env, process.argv.slice(2));
  if (refusal) {
    console.error(`seed: ${refusal}`);
    process.exit(REFUSED);
  }
  const ds = new DataSource(buildDataSourceOptions(db));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(`migrations: ${applied.length} applied`);
    console.log(`seeding ${db.host}:${db.port}/${db.name} ...`);
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
