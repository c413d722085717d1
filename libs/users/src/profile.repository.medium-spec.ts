import type { DatabaseService } from '@app/database';
import { repositoryModule } from '../../../test-support/repository-module';
import { ProfileRepository } from './profile.repository';
import { UserRepository } from './user.repository';

describe(ProfileRepository.name, () => {
  const repositories = repositoryModule(ProfileRepository, UserRepository);
  let db: DatabaseService;
  let users: UserRepository;
  let sut: ProfileRepository;

  beforeAll(() => {
    db = repositories.db;
    users = repositories.get(UserRepository);
    sut = repositories.get(ProfileRepository);
  });

  let jake: number;
  let anna: number;
  beforeEach(async () => {
    await db.query('TRUNCATE users RESTART IDENTITY CASCADE');
    jake = (await users.insert('jake@example.com', 'jake', 'h')).id;
    anna = (await users.insert('anna@example.com', 'anna', 'h')).id;
  });

  const follows = () => db.query('SELECT follower_id, followee_id FROM follows ORDER BY 1, 2');

  describe('findByUsername', () => {
    it('should return the profile columns and the id', async () => {
      await users.update(anna, { bio: 'hello' });
      await expect(sut.findByUsername('anna')).resolves.toEqual({
        id: anna,
        username: 'anna',
        bio: 'hello',
        image: null,
      });
    });

    it('should answer null for an unknown username', async () => {
      await expect(sut.findByUsername('nobody')).resolves.toBeNull();
    });
  });

  describe('follow', () => {
    it('should record the follow', async () => {
      await sut.follow(jake, anna);
      await expect(follows()).resolves.toEqual([{ follower_id: jake, followee_id: anna }]);
      await expect(sut.followeeIds(jake)).resolves.toEqual([anna]);
    });

    it('should be idempotent', async () => {
      await sut.follow(jake, anna);
      await expect(sut.follow(jake, anna)).resolves.toBeUndefined();
      await expect(follows()).resolves.toEqual([{ follower_id: jake, followee_id: anna }]);
    });
  });

  describe('unfollow', () => {
    it('should remove only that follow', async () => {
      await sut.follow(jake, anna);
      await sut.follow(anna, jake);
      await sut.unfollow(jake, anna);
      await expect(follows()).resolves.toEqual([{ follower_id: anna, followee_id: jake }]);
    });

    it('should do nothing when there is no such follow', async () => {
      await expect(sut.unfollow(jake, anna)).resolves.toBeUndefined();
      await expect(sut.followeeIds(jake)).resolves.toEqual([]);
    });
  });
});
