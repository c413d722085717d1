import { RedisConnectionModule } from '@app/redis';
import type { AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { RateLimitStorage } from './rate-limit.storage';

// The process's one Redis connection (a module class: one instance however many modules import it).
@Module({ imports: [RedisConnectionModule], providers: [RateLimitStorage], exports: [RateLimitStorage] })
class RateLimitStorageModule {}

/** Limits for the credential endpoints (guessing passwords, mass registration), per client IP. */
export const AuthRateLimitModule = ThrottlerModule.forRootAsync({
  imports: [RateLimitStorageModule],
  inject: [ConfigService, RateLimitStorage],
  useFactory: (config: ConfigService<AppConfig, true>, storage: RateLimitStorage) => ({
    throttlers: [{ ttl: 60_000, limit: config.get('authRateLimitPerMinute', { infer: true }) }],
    storage,
    errorMessage: 'Too many attempts, retry later',
  }),
});
