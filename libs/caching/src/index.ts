export { CachingModule, ResponseCacheModule } from './caching.module';
import type { CacheService } from './cache.service';
import type { ResponseCache } from './response.cache';

export { CacheService, type Cached } from './cache.service';
export { HttpCacheInterceptor } from './http-cache.interceptor';
export { ResponseCache, VIEWER_LOOKUP, type ViewerLookup } from './response.cache';
export { ResponseCached } from './response-cached.decorator';
export { joinSpliced, renderSpliced, spliceDocument, ViewerFlag } from './spliced-json';
export type { SplicedJson, ViewerSets } from './spliced-json';
export { PersonalizedBody } from './personalized-body';
export { joinStamps, type Stamp } from './versions';
export { cacheKey, keyPart, type CacheKey } from './cache-key';

export type CacheStatus = ReturnType<CacheService['status']>;
export type ResponseTierStatus = ReturnType<ResponseCache['status']>;
