import { httpError } from '../../../test-support/http-error';
import { strictMock } from '../../../test-support/strict-mock';
import type { AuthUser } from './auth/auth-user';
import { TokenService } from './auth/token.service';
import { hashPassword, verifyPassword } from './password-hasher';
import { UserEvents } from './user-events';
import { UserRepository, type UserRow } from './user.repository';
import { UserService } from './user.service';

// The real hasher, observed: a login must compare a password even when the email is unknown.
jest.mock('./password-hasher', () => {
  const actual = jest.requireActual<typeof import('./password-hasher')>('./password-hasher');
  return { ...actual, verifyPassword: jest.fn(actual.verifyPassword) };
});

const TAKEN = ['has already been taken'];
const INVALID_LOGIN = httpError(422, { errors: { 'email or password': ['is invalid'] } });
const jakeAuth: AuthUser = { id: 1, username: 'jake', token: 'jake-token' };

let jakeHash: Promise<string>;
beforeAll(() => {
  jakeHash = hashPassword('jakejake');
});

async function jakeRow(overrides: Partial<UserRow> = {}): Promise<UserRow> {
  return {
    id: 1,
    email: 'jake@jake.jake',
    username: 'jake',
    passwordHash: await jakeHash,
    bio: 'I work at statefarm',
    image: null,
    ...overrides,
  };
}

/** What PostgreSQL's unique index answers when a concurrent request took the value first. */
function uniqueViolationOf(constraint: string): Error {
  return Object.assign(new Error('duplicate key value'), { driverError: { code: '23505', constraint } });
}

describe(UserService.name, () => {
  let sut: UserService;
  let users: jest.Mocked<UserRepository>;
  let tokens: jest.Mocked<TokenService>;
  let events: jest.Mocked<UserEvents>;

  beforeEach(() => {
    users = strictMock(UserRepository);
    tokens = strictMock(TokenService);
    events = strictMock(UserEvents);
    sut = new UserService(users, tokens, events);
    tokens.sign.mockImplementation((user) => `token-for-${user.username}`);
    jest.mocked(verifyPassword).mockClear();
  });

  describe('register', () => {
    const input = { email: 'jake@jake.jake', username: 'jake', password: 'jakejake' };

    it.each([
      [{ email: true, username: false }, { email: TAKEN }],
      [{ email: false, username: true }, { username: TAKEN }],
      [
        { email: true, username: true },
        { email: TAKEN, username: TAKEN },
      ],
    ])('should answer 422 when %j is taken', async (taken, errors) => {
      users.findTaken.mockResolvedValue(taken);

      await expect(sut.register(input)).rejects.toEqual(httpError(422, { errors }));
      expect(users.findTaken).toHaveBeenCalledWith('jake@jake.jake', 'jake', 0);
      expect(users.insert).not.toHaveBeenCalled();
    });

    it('should store a salted hash of the password, never the password', async () => {
      users.findTaken.mockResolvedValue({ email: false, username: false });
      users.insert.mockImplementation(async (email, username, passwordHash) => ({
        ...(await jakeRow({ email, username, passwordHash })),
        createdAt: new Date(),
        updatedAt: new Date(),
      }));

      await sut.register(input);

      const stored = users.insert.mock.calls[0][2];
      expect(stored).not.toContain('jakejake');
      await expect(verifyPassword('jakejake', stored)).resolves.toBe(true);
    });

    it('should answer the new user with a fresh token', async () => {
      users.findTaken.mockResolvedValue({ email: false, username: false });
      users.insert.mockResolvedValue({ ...(await jakeRow()), createdAt: new Date(), updatedAt: new Date() });

      await expect(sut.register(input)).resolves.toEqual({
        user: {
          email: 'jake@jake.jake',
          token: 'token-for-jake',
          username: 'jake',
          bio: 'I work at statefarm',
          image: null,
        },
      });
    });

    it.each([
      ['users_email_lower_uq', { email: TAKEN }],
      ['users_username_uq', { username: TAKEN }],
    ])('should answer 422 when a concurrent registration wins the race on %s', async (constraint, errors) => {
      users.findTaken.mockResolvedValue({ email: false, username: false });
      users.insert.mockRejectedValue(uniqueViolationOf(constraint));

      await expect(sut.register(input)).rejects.toEqual(httpError(422, { errors }));
    });

    it('should let any other database error through unchanged', async () => {
      const failure = new Error('connection lost');
      users.findTaken.mockResolvedValue({ email: false, username: false });
      users.insert.mockRejectedValue(failure);

      await expect(sut.register(input)).rejects.toBe(failure);
    });
  });

  describe('login', () => {
    it('should answer the user with a fresh token for the right password', async () => {
      users.findByEmail.mockResolvedValue(await jakeRow());

      const { user } = await sut.login({ email: 'JAKE@jake.jake', password: 'jakejake' });

      expect(users.findByEmail).toHaveBeenCalledWith('JAKE@jake.jake');
      expect(user).toEqual(expect.objectContaining({ email: 'jake@jake.jake', token: 'token-for-jake' }));
    });

    it('should answer 422 for a wrong password', async () => {
      users.findByEmail.mockResolvedValue(await jakeRow());

      await expect(sut.login({ email: 'jake@jake.jake', password: 'wrong-password' })).rejects.toEqual(INVALID_LOGIN);
      expect(tokens.sign).not.toHaveBeenCalled();
    });

    it('should answer the same 422 for an unknown email, after comparing a password all the same', async () => {
      users.findByEmail.mockResolvedValue(null);

      await expect(sut.login({ email: 'nobody@jake.jake', password: 'jakejake' })).rejects.toEqual(INVALID_LOGIN);
      // Same work as for a known email: a wrong email must not answer measurably faster.
      expect(verifyPassword).toHaveBeenCalledWith('jakejake', expect.stringMatching(/^scrypt\$/));
    });
  });

  describe('current', () => {
    it('should answer 401 when the token outlived its user', async () => {
      users.findById.mockResolvedValue(null);

      await expect(sut.current(jakeAuth)).rejects.toEqual(
        httpError(401, { errors: { authorization: ['user no longer exists'] } }),
      );
    });

    it('should echo the token the request came with', async () => {
      users.findById.mockResolvedValue(await jakeRow());

      const { user } = await sut.current(jakeAuth);

      expect(users.findById).toHaveBeenCalledWith(jakeAuth.id);
      expect(user.token).toBe('jake-token');
      expect(tokens.sign).not.toHaveBeenCalled();
    });
  });

  describe('update', () => {
    beforeEach(async () => {
      users.findById.mockResolvedValue(await jakeRow());
      users.findTaken.mockResolvedValue({ email: false, username: false });
      events.profileChanged.mockResolvedValue();
    });

    /** The repository answers the row as the changes leave it. */
    function applyChanges(): void {
      users.update.mockImplementation(async (_id, changes) => {
        const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
        return { ...(await jakeRow()), ...defined };
      });
    }

    it('should answer 401 when the user no longer exists, as every route does', async () => {
      users.findById.mockResolvedValue(null);

      await expect(sut.update(jakeAuth, { bio: 'x' })).rejects.toEqual(
        httpError(401, { errors: { authorization: ['user no longer exists'] } }),
      );
    });

    it('should answer 401 when the user is removed between the check and the update', async () => {
      users.update.mockResolvedValue(null);

      await expect(sut.update(jakeAuth, { bio: 'x' })).rejects.toEqual(
        httpError(401, { errors: { authorization: ['user no longer exists'] } }),
      );
    });

    it('should check uniqueness against everyone but the user, and answer 422 when taken', async () => {
      users.findTaken.mockResolvedValue({ email: false, username: true });

      await expect(sut.update(jakeAuth, { username: 'anna' })).rejects.toEqual(
        httpError(422, { errors: { username: TAKEN } }),
      );
      expect(users.findTaken).toHaveBeenCalledWith(undefined, 'anna', jakeAuth.id);
      expect(users.update).not.toHaveBeenCalled();
    });

    it('should answer 422 when a concurrent update wins the race for the email', async () => {
      users.update.mockRejectedValue(uniqueViolationOf('users_email_lower_uq'));

      await expect(sut.update(jakeAuth, { email: 'anna@anna.anna' })).rejects.toEqual(
        httpError(422, { errors: { email: TAKEN } }),
      );
    });

    it('should not ask about uniqueness when neither email nor username is sent', async () => {
      applyChanges();

      await sut.update(jakeAuth, { bio: 'New bio' });

      expect(users.findTaken).not.toHaveBeenCalled();
    });

    it('should hash a new password and leave the others untouched', async () => {
      applyChanges();

      await sut.update(jakeAuth, { password: 'new-password' });

      const changes = users.update.mock.calls[0][1];
      expect(changes).toEqual({
        email: undefined,
        username: undefined,
        bio: undefined,
        image: undefined,
        passwordHash: expect.stringMatching(/^scrypt\$/),
      });
      await expect(verifyPassword('new-password', changes.passwordHash!)).resolves.toBe(true);
    });

    it.each([
      ['email', { email: 'jake@new.jake' }],
      ['password', { password: 'new-password' }],
      ['the same bio', { bio: 'I work at statefarm' }],
    ])('should not announce a profile change for %s', async (_what, input) => {
      applyChanges();

      await sut.update(jakeAuth, input);

      expect(events.profileChanged).not.toHaveBeenCalled();
    });

    it.each([
      ['bio', { bio: 'New bio' }, 'jake'],
      ['image', { image: 'https://img.example/jake.png' }, 'jake'],
      ['a cleared bio', { bio: null }, 'jake'],
      ['username', { username: 'jacob' }, 'jacob'],
    ])('should announce a profile change for %s', async (_what, input, newUsername) => {
      applyChanges();

      await sut.update(jakeAuth, input);

      expect(events.profileChanged).toHaveBeenCalledWith(jakeAuth.id, 'jake', newUsername);
    });

    it('should keep the token while the username stays', async () => {
      applyChanges();

      const { user } = await sut.update(jakeAuth, { bio: 'New bio' });

      expect(user).toEqual({
        email: 'jake@jake.jake',
        token: 'jake-token',
        username: 'jake',
        bio: 'New bio',
        image: null,
      });
    });

    it('should issue a fresh token for a new username (it is a claim of the token)', async () => {
      applyChanges();

      const { user } = await sut.update(jakeAuth, { username: 'jacob' });

      expect(tokens.sign).toHaveBeenCalledWith(expect.objectContaining({ id: 1, username: 'jacob' }));
      expect(user.token).toBe('token-for-jacob');
    });
  });
});
