export type { AppConfig, CacheConfig, DatabaseConfig, NodeEnv } from './app-config';
export { AppConfigModule } from './app-config.module';
export { ConfigValidationError, loadConfig, validateEnvironment } from './validate-environment';
