import { CacheService, renderSpliced, type PersonalizedBody } from '@app/caching';
import { httpError } from '../../../test-support/http-error';
import { strictMock } from '../../../test-support/strict-mock';
import type { AuthUser } from './auth/auth-user';
import { FOLLOWEES, profileKey, userDepends } from './cache-keys';
import type { ProfileResponseDto } from './dto/user-response.dto';
import type { ProfileRow } from './profile.mapper';
import { ProfileRepository } from './profile.repository';
import { ProfileService } from './profile.service';
import { UserEvents } from './user-events';
import { ViewerRelationsService } from './viewer-relations.service';

const anna: AuthUser = { id: 2, username: 'anna', token: 'anna-token' };
const jake: ProfileRow = { id: 1, username: 'jake', bio: 'I work at statefarm', image: null };
const NOT_FOUND = httpError(404, { errors: { profile: ['not found'] } });

function parsed(body: PersonalizedBody<ProfileResponseDto>): ProfileResponseDto {
  return JSON.parse(body.json) as ProfileResponseDto;
}

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
    it('should bump the profile under the old and the new username when a profile changes', async () => {
      events.onProfileChanged.mockReturnValue();
      cache.bump.mockResolvedValue();
      sut.onModuleInit();
      const [listener] = events.onProfileChanged.mock.calls[0];

      await listener(1, 'jake', 'jacob');

      expect(cache.bump.mock.calls).toEqual([[userDepends.profile('jake'), userDepends.profile('jacob')]]);
    });
  });

  describe('get', () => {
    beforeEach(() => {
      cache.fetch.mockImplementation(async (_key, load) => ({ value: await load() }));
    });

    it('should answer 404 with the profile envelope for an unknown username', async () => {
      profiles.findByUsername.mockResolvedValue(null);

      await expect(sut.get('nobody', null)).rejects.toEqual(NOT_FOUND);
    });

    it('should load the profile under its key and answer following false to an anonymous reader', async () => {
      profiles.findByUsername.mockResolvedValue(jake);

      const body = await sut.get('jake', null);

      expect(parsed(body)).toEqual({
        profile: { username: 'jake', bio: 'I work at statefarm', image: null, following: false },
      });
      expect(cache.fetch).toHaveBeenCalledWith(profileKey('jake'), expect.any(Function));
      expect(profiles.findByUsername).toHaveBeenCalledWith('jake');
    });

    it.each([
      [[jake.id], true],
      [[7, 8], false],
    ])("should take following from the viewer's followees %j", async (followees, following) => {
      profiles.findByUsername.mockResolvedValue(jake);
      relations.followeeIds.mockResolvedValue(followees);

      const { profile } = parsed(await sut.get('jake', anna));

      expect(relations.followeeIds).toHaveBeenCalledWith(anna.id);
      expect(profile.following).toBe(following);
    });

    it("should keep following as a slot on the profile's id, for the response tier to fill per viewer", async () => {
      const stamp = { names: profileKey('jake').deps, versions: [1, 2] };
      cache.fetch.mockResolvedValue({ value: jake, stamp });

      const body = await sut.get('jake', null);

      expect(profiles.findByUsername).not.toHaveBeenCalled();
      expect(body.template.slots).toEqual([{ set: FOLLOWEES, id: jake.id }]);
      expect(JSON.parse(renderSpliced(body.template, { [FOLLOWEES]: [jake.id] }))).toEqual({
        profile: { username: 'jake', bio: 'I work at statefarm', image: null, following: true },
      });
      expect(body.stamp).toBe(stamp);
      expect(body.staleSince).toBeUndefined();
    });

    it('should say when the profile is a stale copy', async () => {
      cache.fetch.mockResolvedValue({ value: jake, staleSince: 1000 });

      const body = await sut.get('jake', null);

      expect(body.staleSince).toBe(1000);
      expect(body.stamp).toBeUndefined();
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
      expect(cache.getOrLoad).toHaveBeenCalledWith(profileKey('jake'), expect.any(Function));
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
