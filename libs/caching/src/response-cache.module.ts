import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { CachingModule } from './caching.module';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import { ResponseCache, VIEWER_LOOKUP, type ViewerLookup } from './response.cache';

/**
 * The response tier and HTTP caching, bound once in the application module (`forRoot`): the viewer lookup
 * comes from libs that import CachingModule themselves. Add `HttpCacheInterceptor` as the first
 * `APP_INTERCEPTOR`, and `ResponseCache.onRoute` as a Fastify `onRoute` hook before routes register.
 */
@Module({})
export class ResponseCacheModule {
  static forRoot(options: {
    /** The modules exporting what `viewerLookup` injects. */
    imports?: ModuleMetadata['imports'];
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
