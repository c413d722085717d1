import { CacheService, userFavoritesKey } from '@app/caching';
import { ViewerRelationsService, type AuthUser } from '@app/users';
import { Injectable } from '@nestjs/common';
import { ArticleRepository } from './articles/article.repository';

/** The viewer's own sets (favorited articles, followed authors), each cached and invalidated by its writes. */
export interface ViewerSets {
  favorites: readonly number[];
  followees: readonly number[];
}

const NOBODY: ViewerSets = { favorites: [], followees: [] };

@Injectable()
export class ViewerOverlayService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly relations: ViewerRelationsService,
    private readonly cache: CacheService,
  ) {}

  async setsOf(viewer: AuthUser | null): Promise<ViewerSets> {
    if (!viewer) return NOBODY;
    const [favorites, followees] = await Promise.all([
      this.cache.getOrLoad(userFavoritesKey(viewer.id), () => this.articles.favoriteIds(viewer.id)),
      this.relations.followeeIds(viewer.id),
    ]);
    return { favorites, followees };
  }

  async forgetFavorites(viewerId: number): Promise<void> {
    await this.cache.invalidate(userFavoritesKey(viewerId));
  }
}
