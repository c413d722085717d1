import type { CacheStatus } from '@app/caching';

export type { CacheStatus };

/**
 * What monitoring needs from the cache: its status and hit/miss counts. Bound to the caching lib's
 * `CacheService` by the application (see `MonitoringModule.forRoot`), so this lib never reaches into it.
 */
export interface CacheStatusSource {
  status(): CacheStatus;
}

export const CACHE_STATUS_SOURCE = Symbol('CACHE_STATUS_SOURCE');
