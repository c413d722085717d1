export { CachingModule } from './caching.module';
export { CacheService, STALE_IF_ERROR_MS } from './cache.service';
export type { GetOrLoadOptions } from './cache.service';
export type { CacheStatus, CacheTierStats } from './cache-status';
export { TimeoutError, withTimeout } from './with-timeout';
export { HttpCacheInterceptor } from './http-cache.interceptor';
export { ResponseCache } from './response.cache';
export { ResponseCacheModule } from './response-cache.module';
export type { ResponseCacheModuleOptions } from './response-cache.module';
export { ResponseCached } from './response-cached.decorator';
export { VIEWER_LOOKUP } from './viewer-lookup';
export type { ViewerLookup } from './viewer-lookup';
export { PersonalizedBody, renderSpliced, spliceDocument, SplicedJsonBuilder, ViewerFlag } from './spliced-json';
export type { SplicedJson, ViewerSets } from './spliced-json';
export {
  ARTICLES_NAMESPACE,
  KEY_PREFIX,
  articleKey,
  articleListKey,
  commentsKey,
  profileKey,
  tagsKey,
  userFavoritesKey,
  userFollowingKey,
} from './cache-keys';
export type { ArticleListFilters } from './cache-keys';
