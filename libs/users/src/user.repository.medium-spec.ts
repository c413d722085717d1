import { type DatabaseService, uniqueViolation } from '@app/database';
import { repositoryModule } from '../../../test-support/repository-module';
import { UserRepository } from './user.repository';

describe(UserRepository.name, () => {
  const repositories = repositoryModule(UserRepository);
  let db: DatabaseService;
  let sut: UserRepository;

  beforeAll(() => {
    db = repositories.db;
    sut = repositories.get(UserRepository);
  });

  beforeEach(() => db.query('TRUNCATE users RESTART IDENTITY CASCADE'));

  const anyDate: unknown = expect.any(Date);
  const register = () => sut.insert('Jake@Example.com', 'jake', 'hash-1');

  describe('insert', () => {
    it('should return the new user as an entity, with the id and timestamps PostgreSQL gave it', async () => {
      await expect(register()).resolves.toEqual({
        id: 1,
        email: 'Jake@Example.com',
        username: 'jake',
        passwordHash: 'hash-1',
        bio: null,
        image: null,
        createdAt: anyDate,
        updatedAt: anyDate,
      });
    });

    it('should reject an email taken in another case with the lower(email) index name', async () => {
      await register();
      const err: unknown = await sut.insert('jake@example.COM', 'other', 'hash-2').catch((e: unknown) => e);
      expect(uniqueViolation(err)).toBe('users_email_lower_uq');
    });

    it('should reject a taken username with the username index name', async () => {
      await register();
      const err: unknown = await sut.insert('other@example.com', 'jake', 'hash-2').catch((e: unknown) => e);
      expect(uniqueViolation(err)).toBe('users_username_uq');
    });
  });

  describe('findByEmail', () => {
    it('should find a user by email in any case, as a camelCase row', async () => {
      await register();
      await expect(sut.findByEmail('JAKE@example.com')).resolves.toEqual({
        id: 1,
        email: 'Jake@Example.com',
        username: 'jake',
        passwordHash: 'hash-1',
        bio: null,
        image: null,
      });
    });

    it('should answer null for an unknown email', async () => {
      await expect(sut.findByEmail('nobody@example.com')).resolves.toBeNull();
    });
  });

  describe('exists', () => {
    it('should say whether a user id is still there', async () => {
      const { id } = await register();

      await expect(sut.exists(id)).resolves.toBe(true);
      await db.query('DELETE FROM users WHERE id = $1', [id]);
      await expect(sut.exists(id)).resolves.toBe(false);
    });
  });

  describe('findTaken', () => {
    it('should say which of email (in any case) and username belong to someone else', async () => {
      await register();
      await expect(sut.findTaken('JAKE@EXAMPLE.COM', 'nobody')).resolves.toEqual({ email: true, username: false });
      await expect(sut.findTaken('nobody@example.com', 'jake')).resolves.toEqual({ email: false, username: true });
    });

    it('should not count the user making the change', async () => {
      const { id } = await register();
      await expect(sut.findTaken('jake@example.com', 'jake', id)).resolves.toEqual({ email: false, username: false });
    });
  });

  describe('update', () => {
    it('should change the given columns only, clear those set to null and return the row after', async () => {
      const { id } = await register();
      await sut.update(id, { bio: 'I work at statefarm', image: 'https://example.com/jake.png' });
      await expect(sut.update(id, { username: 'jacob', image: null })).resolves.toEqual({
        id,
        email: 'Jake@Example.com',
        username: 'jacob',
        passwordHash: 'hash-1',
        bio: 'I work at statefarm',
        image: null,
      });
    });

    it('should move updated_at on', async () => {
      const { id } = await register();
      await sut.update(id, { bio: 'new' });
      const [row] = await db.query<{ bumped: boolean }>(
        'SELECT updated_at > created_at AS bumped FROM users WHERE id = $1',
        [id],
      );
      expect(row).toEqual({ bumped: true });
    });

    it('should answer null for an unknown user', async () => {
      await expect(sut.update(42, { bio: 'x' })).resolves.toBeNull();
    });

    it('should reject an email taken by someone else with the lower(email) index name', async () => {
      await register();
      const other = await sut.insert('other@example.com', 'other', 'hash-2');
      const err: unknown = await sut.update(other.id, { email: 'JAKE@example.com' }).catch((e: unknown) => e);
      expect(uniqueViolation(err)).toBe('users_email_lower_uq');
    });
  });
});
