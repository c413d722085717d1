import { CacheService } from '@app/caching';
import { followeesKey, ViewerRelationsService, type AuthUser } from '@app/users';
import { favoritesKey } from './cache-keys';
import { Injectable } from '@nestjs/common';
import { FavoriteRepository } from './articles/favorite.repository';
import { FAVORITES, FOLLOWEES } from './viewer-flags';

/** The viewer's own sets (favorited articles, followed authors), each cached and invalidated by its writes. */
export type ViewerSets = { [FAVORITES]: readonly number[]; [FOLLOWEES]: readonly number[] };

const NOBODY: ViewerSets = { favorites: [], followees: [] };

@Injectable()
export class ViewerOverlayService {
  constructor(
    private readonly favorites: FavoriteRepository,
    private readonly relations: ViewerRelationsService,
    private readonly cache: CacheService,
  ) {}

  async setsOf(viewer: AuthUser | null): Promise<ViewerSets> {
    if (!viewer) return NOBODY;
    const [favorites, followees] = await Promise.all([
      this.cache.getOrLoad(favoritesKey(viewer.id), () => this.favorites.favoriteIds(viewer.id)),
      this.relations.followeeIds(viewer.id),
    ]);
    return { favorites, followees };
  }

  /**
   * The viewer's sets if both are in the in-process cache now; undefined otherwise (no I/O). The
   * response tier's ViewerLookup (bound in the application module) answers signed-in readers with it.
   */
  peekSets(viewerId: number): ViewerSets | undefined {
    const favorites = this.cache.peek<readonly number[]>(favoritesKey(viewerId));
    const followees = this.cache.peek<readonly number[]>(followeesKey(viewerId));
    return favorites === undefined || followees === undefined ? undefined : { favorites, followees };
  }
}
