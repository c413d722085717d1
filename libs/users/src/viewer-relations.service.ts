import { CacheService } from '@app/caching';
import { followeesKey, userDepends } from './cache-keys';
import { Injectable } from '@nestjs/common';
import { ProfileRepository } from './profile.repository';

/**
 * The viewer's own "following" set, cached per viewer and invalidated on follow/unfollow. Cached
 * views are viewer-independent; this set is overlaid on them, so one user's view never reaches another.
 */
@Injectable()
export class ViewerRelationsService {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly cache: CacheService,
  ) {}

  async followeeIds(viewerId: number | undefined): Promise<readonly number[]> {
    if (viewerId === undefined) return [];
    return this.cache.getOrLoad(followeesKey(viewerId), () => this.profiles.followeeIds(viewerId));
  }

  async forget(viewerId: number): Promise<void> {
    await this.cache.bump(userDepends.followeesOf(viewerId));
  }
}
