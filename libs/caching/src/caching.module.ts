import { CacheModule, type CacheModuleOptions } from '@nestjs/cache-manager';
import { WritePositionsModule } from '@app/database';
import { Module } from '@nestjs/common';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import { CacheService } from './cache.service';
import { RedisCacheStore } from './redis-cache.store';
import { RedisConnection, RedisConnectionModule } from '@app/redis';
import { keyvOver } from './redis-keyv.store';

/**
 * The two-tier cache (CacheService): import it where it is used; Nest keeps one instance however many
 * modules import it. Needs the global `ConfigService<AppConfig>` (`AppConfigModule.forRoot()`). The response tier
 * and HTTP caching are ResponseCacheModule.
 */
@Module({
  imports: [
    RedisConnectionModule,
    WritePositionsModule, // write positions ride on invalidation messages (read replicas)
    CacheModule.registerAsync({
      imports: [RedisConnectionModule],
      inject: [RedisConnection],
      // Without Redis (or with caching off: no subscriber), cache-manager gets its in-memory default,
      // which nothing uses: L1 is our own.
      useFactory: ({ client, subscriber, keyspace }: RedisConnection): CacheModuleOptions =>
        client === null || subscriber === null ? {} : { stores: [keyvOver(client, keyspace)] },
    }),
  ],
  providers: [RedisCacheStore, CacheInvalidationBus, CacheService],
  exports: [CacheService],
})
export class CachingModule {}
