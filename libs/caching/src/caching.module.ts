import { WritePositionsModule } from '@app/database';
import { RedisConnection, RedisConnectionModule } from '@app/redis';
import { CacheModule, type CacheModuleOptions } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import { CacheService } from './cache.service';
import { RedisCacheStore } from './redis-cache.store';
import { keyvOver } from './redis-keyv.store';

/** The cache (CacheService), one instance however many modules import it. The response tier is ResponseCacheModule. */
@Module({
  imports: [
    RedisConnectionModule,
    WritePositionsModule, // write positions ride on invalidation messages (read replicas)
    CacheModule.registerAsync({
      imports: [RedisConnectionModule],
      inject: [RedisConnection],
      // Without Redis (or with caching off: no subscriber) cache-manager keeps its in-memory default, unused.
      useFactory: ({ client, subscriber, keyspace }: RedisConnection): CacheModuleOptions =>
        client === null || subscriber === null ? {} : { stores: [keyvOver(client, keyspace)] },
    }),
  ],
  providers: [RedisCacheStore, CacheInvalidationBus, CacheService],
  exports: [CacheService],
})
export class CachingModule {}
