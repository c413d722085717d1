import { CacheModule, type CacheModuleOptions } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { ResponseCache } from './response.cache';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import { CacheService } from './cache.service';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import { RedisCacheStore } from './redis-cache.store';
import { RedisConnection } from './redis-connection';
import { RedisConnectionModule } from './redis-connection.module';

/**
 * The two-tier cache and HTTP caching. Needs the global `ConfigService<AppConfig>` (`AppConfigModule`).
 * Register `HttpCacheInterceptor` as the first `APP_INTERCEPTOR`, so it sees the final response body.
 */
@Global()
@Module({
  imports: [
    RedisConnectionModule,
    CacheModule.registerAsync({
      imports: [RedisConnectionModule],
      inject: [RedisConnection],
      // Without Redis, cache-manager gets its in-memory default, which nothing uses: L1 is our own.
      useFactory: (connection: RedisConnection): CacheModuleOptions =>
        connection.keyv === null ? {} : { stores: [connection.keyv] },
    }),
  ],
  providers: [RedisCacheStore, CacheInvalidationBus, CacheService, HttpCacheInterceptor, ResponseCache],
  exports: [CacheService, HttpCacheInterceptor, ResponseCache],
})
export class CachingModule {}
