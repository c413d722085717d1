import { loadDatabaseConfigOrExit } from '@app/config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './typeorm-options';

/**
 * The data source the TypeORM CLI uses (`npm run migration:*`, the migration Job and compose service):
 * the configured server, never the embedded one. It reads the database settings only: a migration
 * needs no JWT secret, monitoring token, Redis or CORS origins.
 */
const db = loadDatabaseConfigOrExit('TypeORM CLI failed to start');
export default new DataSource(buildDataSourceOptions(db));
