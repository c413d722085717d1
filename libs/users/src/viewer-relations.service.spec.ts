import { CacheService } from '@app/caching';
import { strictMock } from '../../../test-support/strict-mock';
import { followeesKey, userDepends } from './cache-keys';
import { ProfileRepository } from './profile.repository';
import { ViewerRelationsService } from './viewer-relations.service';

describe(ViewerRelationsService.name, () => {
  let sut: ViewerRelationsService;
  let profiles: jest.Mocked<ProfileRepository>;
  let cache: jest.Mocked<CacheService>;

  beforeEach(() => {
    profiles = strictMock(ProfileRepository);
    cache = strictMock(CacheService);
    sut = new ViewerRelationsService(profiles, cache);
  });

  describe('followeeIds', () => {
    it('should answer an empty set for an anonymous reader, without the cache or the database', async () => {
      await expect(sut.followeeIds(undefined)).resolves.toEqual([]);
    });

    it("should load the viewer's followees under their own key", async () => {
      cache.getOrLoad.mockImplementation((_key, load) => load());
      profiles.followeeIds.mockResolvedValue([1, 3]);

      await expect(sut.followeeIds(2)).resolves.toEqual([1, 3]);
      expect(cache.getOrLoad).toHaveBeenCalledWith(followeesKey(2), expect.any(Function));
      expect(profiles.followeeIds).toHaveBeenCalledWith(2);
    });
  });

  describe('forget', () => {
    it("should bump the version of the viewer's followees, and nothing else", async () => {
      cache.bump.mockResolvedValue();

      await sut.forget(2);

      expect(cache.bump.mock.calls).toEqual([[userDepends.followeesOf(2)]]);
      expect(followeesKey(2).deps).toContain(userDepends.followeesOf(2));
    });
  });
});
