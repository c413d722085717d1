import { loadConfigOrExit } from '@app/config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './typeorm-options';

/** The data source the TypeORM CLI uses (`npm run migration:*`): the configured server, never the embedded one. */
const config = loadConfigOrExit('TypeORM CLI failed to start');
export default new DataSource(buildDataSourceOptions(config.db));
