export { CachingModule } from './caching.module';
export { CacheService, STALE_IF_ERROR_MS } from './cache.service';
export type { GetOrLoadOptions } from './cache.service';
export type { CacheStatus, CacheTierStats } from './cache-status';
export { HttpCacheInterceptor } from './http-cache.interceptor';
export { AnonymousResponseCache } from './anonymous-response.cache';
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
