export type { AppConfig, BackupConfig, CacheConfig, DatabaseConfig, NodeEnv } from './app-config';
export { AppConfigModule } from './app-config.module';
export {
  ConfigValidationError,
  loadConfig,
  loadDatabaseConfig,
  validateDatabaseEnvironment,
  validateEnvironment,
} from './validate-environment';
export { ENV_FILE, readEnvironment, type RawEnvironment } from './read-environment';
export { loadConfigOrExit, loadDatabaseConfigOrExit } from './load-config-or-exit';
