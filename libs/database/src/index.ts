export { DatabaseModule } from './database.module';
export { DatabaseEndpointProvider } from './database-endpoint.provider';
export { buildDataSourceOptions, APPLICATION_NAME } from './typeorm-options';
export type { DatabaseEndpoint } from './typeorm-options';
