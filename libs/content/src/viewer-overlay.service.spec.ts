import { CacheService, userFavoritesKey, userFollowingKey } from '@app/caching';
import { ViewerRelationsService, type AuthUser } from '@app/users';
import { strictMock } from '../../../test-support/strict-mock';
import { ArticleRepository } from './articles/article.repository';
import { ViewerOverlayService } from './viewer-overlay.service';

const anna: AuthUser = { id: 2, username: 'anna', token: 'anna-token' };

describe(ViewerOverlayService.name, () => {
  let sut: ViewerOverlayService;
  let articles: jest.Mocked<ArticleRepository>;
  let relations: jest.Mocked<ViewerRelationsService>;
  let cache: jest.Mocked<CacheService>;

  beforeEach(() => {
    articles = strictMock(ArticleRepository);
    relations = strictMock(ViewerRelationsService);
    cache = strictMock(CacheService);
    sut = new ViewerOverlayService(articles, relations, cache);
  });

  describe('setsOf', () => {
    it('should answer empty sets for an anonymous reader, without the cache or the database', async () => {
      await expect(sut.setsOf(null)).resolves.toEqual({ favorites: [], followees: [] });
    });

    it("should load the viewer's favorites under their own key, and their followees", async () => {
      cache.getOrLoad.mockImplementation((_key, load) => load());
      articles.favoriteIds.mockResolvedValue([10, 11]);
      relations.followeeIds.mockResolvedValue([1]);

      await expect(sut.setsOf(anna)).resolves.toEqual({ favorites: [10, 11], followees: [1] });
      expect(cache.getOrLoad).toHaveBeenCalledWith(userFavoritesKey(anna.id), expect.any(Function));
      expect(articles.favoriteIds).toHaveBeenCalledWith(anna.id);
      expect(relations.followeeIds).toHaveBeenCalledWith(anna.id);
    });
  });

  describe('peekSets', () => {
    it('should answer both sets when both are in memory', () => {
      cache.peek.mockImplementation((key) => (key === userFavoritesKey(2) ? [10] : [1]));

      expect(sut.peekSets(2)).toEqual({ favorites: [10], followees: [1] });
      expect(cache.peek).toHaveBeenCalledWith(userFollowingKey(2));
    });

    it.each([userFavoritesKey(2), userFollowingKey(2)])(
      'should answer undefined when %s is not in memory',
      (missing) => {
        cache.peek.mockImplementation((key) => (key === missing ? undefined : [1]));

        expect(sut.peekSets(2)).toBeUndefined();
      },
    );
  });

  describe('forgetFavorites', () => {
    it("should invalidate the viewer's favorites", async () => {
      cache.invalidate.mockResolvedValue();

      await sut.forgetFavorites(2);

      expect(cache.invalidate).toHaveBeenCalledWith(userFavoritesKey(2));
    });
  });
});
