import type { CacheStatus, ResponseTierStatus } from '@app/caching';

export type { CacheStatus, ResponseTierStatus };

/**
 * What monitoring needs from the cache: its status and hit/miss counts. Bound to the caching lib's
 * `CacheService` by the application (see `MonitoringModule.forRoot`), so this lib never reaches into it.
 */
export interface CacheStatusSource {
  status(): CacheStatus;
}

export const CACHE_STATUS_SOURCE = Symbol('CACHE_STATUS_SOURCE');

/** The response tier's lookups, entries and bytes: bound to the caching lib's `ResponseCache` by the application. */
export interface ResponseTierSource {
  status(): ResponseTierStatus;
}

export const RESPONSE_TIER_SOURCE = Symbol('RESPONSE_TIER_SOURCE');
