import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { CachingModule } from './caching.module';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import { ResponseCache } from './response.cache';
import { VIEWER_LOOKUP, type ViewerLookup } from './viewer-lookup';

export interface ResponseCacheModuleOptions {
  /** The modules that export what `viewerLookup` injects. */
  imports?: ModuleMetadata['imports'];
  /** Builds the ViewerLookup (from the users lib's tokens and the content lib's viewer sets, in the app). */
  viewerLookup: Omit<FactoryProvider<ViewerLookup>, 'provide'>;
}

/**
 * The response tier (ResponseCache) and HTTP caching (HttpCacheInterceptor), over the CachingModule's
 * cache. Its own module because it needs a viewer lookup built from libs that themselves import
 * CachingModule: bound once, in the application module (`forRoot`), it keeps one instance of each.
 * Then add `HttpCacheInterceptor` as the first `APP_INTERCEPTOR` and `ResponseCache.onRoute` as a
 * Fastify `onRoute` hook before the routes are registered.
 */
@Module({})
export class ResponseCacheModule {
  static forRoot({ imports = [], viewerLookup }: ResponseCacheModuleOptions): DynamicModule {
    return {
      module: ResponseCacheModule,
      imports: [CachingModule, ...imports],
      providers: [{ provide: VIEWER_LOOKUP, ...viewerLookup }, ResponseCache, HttpCacheInterceptor],
      exports: [ResponseCache, HttpCacheInterceptor],
    };
  }
}
