import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnvironment } from './validate-environment';

/** Validated, typed configuration for every module: inject `ConfigService<AppConfig, true>`. */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      envFilePath: ['.env'],
      validate: (raw) => validateEnvironment(raw) as unknown as Record<string, unknown>,
    }),
  ],
  exports: [ConfigModule],
})
export class AppConfigModule {}
