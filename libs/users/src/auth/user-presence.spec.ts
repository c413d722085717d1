import { DatabaseUnavailableException } from '@app/database';
import { strictMock } from '../../../../test-support/strict-mock';
import { UserRepository } from '../user.repository';
import { USER_PRESENCE_TTL_MS, UserPresence } from './user-presence';

describe(UserPresence.name, () => {
  let sut: UserPresence;
  let users: jest.Mocked<UserRepository>;
  let now: number;

  beforeEach(() => {
    users = strictMock(UserRepository);
    sut = new UserPresence(users);
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('exists', () => {
    it('should ask PostgreSQL for every write, even just after a confirmation', async () => {
      users.exists.mockResolvedValue(true);

      await expect(sut.exists(1, 'write')).resolves.toBe(true);
      await expect(sut.exists(1, 'write')).resolves.toBe(true);

      expect(users.exists).toHaveBeenCalledTimes(2);
    });

    it('should answer reads from a confirmation younger than the TTL, then ask again', async () => {
      users.exists.mockResolvedValue(true);

      await sut.exists(1, 'read');
      now += USER_PRESENCE_TTL_MS - 1;
      await sut.exists(1, 'read');
      now += 1;
      await sut.exists(1, 'read');

      expect(users.exists).toHaveBeenCalledTimes(2);
    });

    it('should answer false for a removed user, and forget that they were confirmed', async () => {
      users.exists.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
      await sut.exists(1, 'read');

      await expect(sut.exists(1, 'write')).resolves.toBe(false);

      expect(sut.isConfirmed(1)).toBe(false);
    });

    it('should not remember "gone": ids come back when tests restart the sequence', async () => {
      users.exists.mockResolvedValueOnce(false).mockResolvedValueOnce(true);

      await expect(sut.exists(1, 'read')).resolves.toBe(false);
      await expect(sut.exists(1, 'read')).resolves.toBe(true);
    });

    it('should share one query among concurrent checks of one user', async () => {
      users.exists.mockResolvedValue(true);

      const answers = await Promise.all([sut.exists(1, 'read'), sut.exists(1, 'read'), sut.exists(1, 'write')]);

      expect(answers).toEqual([true, true, true]);
      expect(users.exists).toHaveBeenCalledTimes(1);
    });

    it('should trust the signature on a read while PostgreSQL is down (stale reads keep working)', async () => {
      users.exists.mockRejectedValue(new DatabaseUnavailableException(2));

      await expect(sut.exists(1, 'read')).resolves.toBe(true);
      expect(sut.isConfirmed(1)).toBe(false);
    });

    it('should fail a write while PostgreSQL is down with the 503', async () => {
      users.exists.mockRejectedValue(new DatabaseUnavailableException(2));

      await expect(sut.exists(1, 'write')).rejects.toBeInstanceOf(DatabaseUnavailableException);
    });

    it('should pass any other error on, read or write', async () => {
      users.exists.mockRejectedValue(new Error('bug'));

      await expect(sut.exists(1, 'read')).rejects.toThrow('bug');
    });
  });

  describe('isConfirmed', () => {
    it('should be false for a user never checked, true after a check, false past the TTL', async () => {
      users.exists.mockResolvedValue(true);

      expect(sut.isConfirmed(7)).toBe(false);
      await sut.exists(7, 'read');
      expect(sut.isConfirmed(7)).toBe(true);
      now += USER_PRESENCE_TTL_MS;
      expect(sut.isConfirmed(7)).toBe(false);
    });

    it('should be false after clear()', async () => {
      users.exists.mockResolvedValue(true);
      await sut.exists(7, 'read');

      sut.clear();

      expect(sut.isConfirmed(7)).toBe(false);
    });
  });
});
