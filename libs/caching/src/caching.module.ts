import { WritePositionsModule } from '@app/database';
import { RedisConnection, RedisConnectionModule } from '@app/redis';
import { CacheModule, type CacheModuleOptions } from '@nestjs/cache-manager';
import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import { CacheService } from './cache.service';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import { RedisCacheStore } from './redis-cache.store';
import { keyvOver } from './redis-keyv.store';
import { ResponseCache, VIEWER_LOOKUP, type ViewerLookup } from './response.cache';
import { Versions } from './versions';

/** The cache (CacheService), one instance however many modules import it. */
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
  providers: [RedisCacheStore, CacheInvalidationBus, Versions, CacheService],
  exports: [CacheService],
})
export class CachingModule {}

/**
 * The response tier and HTTP caching, bound once in the application module: the viewer lookup comes from
 * libs that import CachingModule themselves. Add `HttpCacheInterceptor` as the first `APP_INTERCEPTOR`,
 * and `ResponseCache.onRoute` as a Fastify `onRoute` hook before routes register.
 */
@Module({})
export class ResponseCacheModule {
  static forRoot(options: {
    imports?: ModuleMetadata['imports']; // the modules exporting what `viewerLookup` injects
    viewerLookup: Omit<FactoryProvider<ViewerLookup>, 'provide'>;
  }): DynamicModule {
    return {
      module: ResponseCacheModule,
      imports: [CachingModule, ...(options.imports ?? [])],
      providers: [{ provide: VIEWER_LOOKUP, ...options.viewerLookup }, ResponseCache, HttpCacheInterceptor],
      exports: [ResponseCache, HttpCacheInterceptor],
    };
  }
}
