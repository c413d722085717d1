import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { loadConfig } from './validate-environment';

/**
 * Validated, typed configuration for every module: inject `ConfigService<AppConfig, true>`. Global on
 * purpose: every lib reads its settings, and the config has no dependencies of its own.
 */
@Global()
@Module({
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
})
export class AppConfigModule {}
