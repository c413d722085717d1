import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { loadConfig } from './validate-environment';

/**
 * Validated, typed configuration for every module: import `AppConfigModule.forRoot()`, inject
 * `ConfigService<AppConfig, true>`. Global on purpose: every lib reads its settings, and the config
 * has no dependencies of its own. A method, not a static `imports` list: ConfigModule.forRoot validates
 * the moment it is called, and commands that only import this lib for `loadDatabaseConfig` (the
 * migration CLI, the seed) must not be held to the whole application's configuration.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          // One loader for the app and every CLI: loadConfig reads .env itself, the same way everywhere.
          ignoreEnvFile: true,
          validate: () => loadConfig(),
        }),
      ],
      exports: [ConfigModule],
    };
  }
}
