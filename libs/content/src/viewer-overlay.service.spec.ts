import { CacheService, type CacheKey } from '@app/caching';
import { followeesKey, ViewerRelationsService, type AuthUser } from '@app/users';
import { strictMock } from '../../../test-support/strict-mock';
import { FavoriteRepository } from './articles/favorite.repository';
import { favoritesKey } from './cache-keys';
import { ViewerOverlayService } from './viewer-overlay.service';

const anna: AuthUser = { id: 2, username: 'anna', token: 'anna-token' };

describe(ViewerOverlayService.name, () => {
  let sut: ViewerOverlayService;
  let favorites: jest.Mocked<FavoriteRepository>;
  let relations: jest.Mocked<ViewerRelationsService>;
  let cache: jest.Mocked<CacheService>;

  beforeEach(() => {
    favorites = strictMock(FavoriteRepository);
    relations = strictMock(ViewerRelationsService);
    cache = strictMock(CacheService);
    sut = new ViewerOverlayService(favorites, relations, cache);
  });

  describe('setsOf', () => {
    it('should answer empty sets for an anonymous reader, without the cache or the database', async () => {
      await expect(sut.setsOf(null)).resolves.toEqual({ favorites: [], followees: [] });
    });

    it("should load the viewer's favorites under their own key, and their followees", async () => {
      cache.getOrLoad.mockImplementation((_key, load) => load());
      favorites.favoriteIds.mockResolvedValue([10, 11]);
      relations.followeeIds.mockResolvedValue([1]);

      await expect(sut.setsOf(anna)).resolves.toEqual({ favorites: [10, 11], followees: [1] });
      expect(cache.getOrLoad).toHaveBeenCalledWith(favoritesKey(anna.id), expect.any(Function));
      expect(favorites.favoriteIds).toHaveBeenCalledWith(anna.id);
      expect(relations.followeeIds).toHaveBeenCalledWith(anna.id);
    });
  });

  describe('peekSets', () => {
    /** `peek` answering from an in-memory table of key ids (keys are built afresh on each call). */
    function inMemory(values: Record<string, readonly number[]>): void {
      cache.peek.mockImplementation((key: CacheKey) => values[key.id]);
    }

    it('should answer both sets when both are in memory', () => {
      inMemory({ [favoritesKey(2).id]: [10], [followeesKey(2).id]: [1] });

      expect(sut.peekSets(2)).toEqual({ favorites: [10], followees: [1] });
      expect(cache.peek).toHaveBeenCalledWith(favoritesKey(2));
      expect(cache.peek).toHaveBeenCalledWith(followeesKey(2));
    });

    it.each([
      ['favorites', followeesKey(2)],
      ['followees', favoritesKey(2)],
    ])('should answer undefined when the %s are not in memory', (_missing, present) => {
      inMemory({ [present.id]: [1] });

      expect(sut.peekSets(2)).toBeUndefined();
    });
  });
});
