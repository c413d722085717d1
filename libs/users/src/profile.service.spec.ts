import { CacheService, profileKey } from '@app/caching';
import { httpError } from '../../../test-support/http-error';
import { strictMock } from '../../../test-support/strict-mock';
import type { AuthUser } from './auth/auth-user';
import type { ProfileRow } from './profile.mapper';
import { ProfileRepository } from './profile.repository';
import { ProfileService } from './profile.service';
import { UserEvents } from './user-events';
import { ViewerRelationsService } from './viewer-relations.service';

const anna: AuthUser = { id: 2, username: 'anna', token: 'anna-token' };
const jake: ProfileRow = { id: 1, username: 'jake', bio: 'I work at statefarm', image: null };
const NOT_FOUND = httpError(404, { errors: { profile: ['not found'] } });

describe(ProfileService.name, () => {
  let sut: ProfileService;
  let profiles: jest.Mocked<ProfileRepository>;
  let relations: jest.Mocked<ViewerRelationsService>;
  let cache: jest.Mocked<CacheService>;
  let events: jest.Mocked<UserEvents>;

  beforeEach(() => {
    profiles = strictMock(ProfileRepository);
    relations = strictMock(ViewerRelationsService);
    cache = strictMock(CacheService);
    events = strictMock(UserEvents);
    sut = new ProfileService(profiles, relations, cache, events);
    cache.getOrLoad.mockImplementation((_key, load) => load());
  });

  describe('onModuleInit', () => {
    it('should forget the cached profile under the old and the new username when a profile changes', async () => {
      events.onProfileChanged.mockReturnValue();
      cache.invalidate.mockResolvedValue();
      sut.onModuleInit();
      const [listener] = events.onProfileChanged.mock.calls[0];

      await listener(1, 'jake', 'jacob');

      expect(cache.invalidate).toHaveBeenCalledWith(profileKey('jake'), profileKey('jacob'));
    });
  });

  describe('get', () => {
    it('should answer 404 with the profile envelope for an unknown username', async () => {
      profiles.findByUsername.mockResolvedValue(null);

      await expect(sut.get('nobody', null)).rejects.toEqual(NOT_FOUND);
    });

    it('should load the profile under its key and answer following false to an anonymous reader', async () => {
      profiles.findByUsername.mockResolvedValue(jake);
      relations.followeeIds.mockResolvedValue([]);

      await expect(sut.get('jake', null)).resolves.toEqual({
        profile: { username: 'jake', bio: 'I work at statefarm', image: null, following: false },
      });
      expect(cache.getOrLoad).toHaveBeenCalledWith(profileKey('jake'), expect.any(Function));
      expect(relations.followeeIds).toHaveBeenCalledWith(undefined);
    });

    it.each([
      [[jake.id], true],
      [[7, 8], false],
    ])("should take following from the viewer's followees %j", async (followees, following) => {
      profiles.findByUsername.mockResolvedValue(jake);
      relations.followeeIds.mockResolvedValue(followees);

      const { profile } = await sut.get('jake', anna);

      expect(relations.followeeIds).toHaveBeenCalledWith(anna.id);
      expect(profile.following).toBe(following);
    });
  });

  describe('follow', () => {
    it('should answer 404 for an unknown username', async () => {
      profiles.findByUsername.mockResolvedValue(null);

      await expect(sut.follow(anna, 'nobody')).rejects.toEqual(NOT_FOUND);
    });

    it('should answer 422 to someone following themselves, storing nothing', async () => {
      profiles.findByUsername.mockResolvedValue({ ...jake, id: anna.id, username: 'anna' });

      await expect(sut.follow(anna, 'anna')).rejects.toEqual(
        httpError(422, { errors: { username: ['cannot follow yourself'] } }),
      );
      expect(profiles.follow).not.toHaveBeenCalled();
    });

    it("should store the follow, forget the viewer's followees and answer following true", async () => {
      profiles.findByUsername.mockResolvedValue(jake);
      profiles.follow.mockResolvedValue();
      relations.forget.mockResolvedValue();

      await expect(sut.follow(anna, 'jake')).resolves.toEqual({
        profile: { username: 'jake', bio: 'I work at statefarm', image: null, following: true },
      });
      expect(profiles.follow).toHaveBeenCalledWith(anna.id, jake.id);
      expect(relations.forget).toHaveBeenCalledWith(anna.id);
    });
  });

  describe('unfollow', () => {
    it('should answer 404 for an unknown username', async () => {
      profiles.findByUsername.mockResolvedValue(null);

      await expect(sut.unfollow(anna, 'nobody')).rejects.toEqual(NOT_FOUND);
    });

    it("should remove the follow, forget the viewer's followees and answer following false", async () => {
      profiles.findByUsername.mockResolvedValue(jake);
      profiles.unfollow.mockResolvedValue();
      relations.forget.mockResolvedValue();

      const { profile } = await sut.unfollow(anna, 'jake');

      expect(profiles.unfollow).toHaveBeenCalledWith(anna.id, jake.id);
      expect(relations.forget).toHaveBeenCalledWith(anna.id);
      expect(profile.following).toBe(false);
    });
  });
});
