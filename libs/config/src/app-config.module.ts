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
      // Tests set their environment explicitly; a developer's .env must not leak into them.
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      validate: (raw) => validateEnvironment(raw),
    }),
  ],
  exports: [ConfigModule],
})
export class AppConfigModule {}
