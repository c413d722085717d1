export { CachingModule } from './caching.module';
export { CacheService } from './cache.service';
export type { Cached, GetOrLoadOptions } from './cache.service';
export { RedisConnection } from './redis-connection';
export { RedisConnectionModule } from './redis-connection.module';
export type { CacheStatus, CacheTierStats, ResponseTierStatus } from './cache-status';
export type { CacheCounts } from './cache-metrics';
export { TimeoutError, withTimeout } from './with-timeout';
export { HttpCacheInterceptor } from './http-cache.interceptor';
export { ResponseCache } from './response.cache';
export { ResponseCacheModule } from './response-cache.module';
export type { ResponseCacheModuleOptions } from './response-cache.module';
export { ResponseCached } from './response-cached.decorator';
export { VIEWER_LOOKUP } from './viewer-lookup';
export type { ViewerLookup } from './viewer-lookup';
export { PersonalizedBody, renderSpliced, spliceDocument, ViewerFlag } from './spliced-json';
export type { SplicedJson, ViewerSets } from './spliced-json';
export {
  ARTICLES_NAMESPACE,
  KEY_PREFIX,
  articleKey,
  articleListIdentity,
  articleListKey,
  commentsKey,
  profileKey,
  tagsKey,
  userFavoritesKey,
  userFollowingKey,
} from './cache-keys';
export type { ArticleListFilters } from './cache-keys';
