import { cacheKey, keyPart, type CacheKey } from '@app/caching';

/** The name of the viewer's set of followed user ids, where `following` flags are looked up. */
export const FOLLOWEES = 'followees';

/** The versions users' cached values depend on (see libs/content/src/cache-keys.ts). */
export const userDepends = {
  profile: (username: string) => `u:${keyPart(username)}`,
  /** The ids a user follows (their own overlay set). */
  followeesOf: (userId: number) => `fol:${userId}`,
} as const;

export function profileKey(username: string): CacheKey {
  return cacheKey(`profile:${keyPart(username)}`, userDepends.profile(username));
}

export function followeesKey(userId: number): CacheKey {
  return cacheKey(`user:${userId}:following`, userDepends.followeesOf(userId));
}
