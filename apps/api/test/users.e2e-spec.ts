import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { TestApp } from './support/test-app';

const user = (over: Record<string, unknown> = {}) => ({
  user: { username: 'jake', email: 'jake@example.com', password: 'password123', ...over },
});

describe('Users and profiles', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await TestApp.start();
  });
  beforeEach(async () => {
    await sut.truncate();
  });
  afterAll(async () => {
    await sut.close();
  });

  describe('POST /api/users', () => {
    it('should register and answer 201 with the user and a token', async () => {
      const res = await sut.call('post', '/api/users', { body: user() });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        user: { email: 'jake@example.com', username: 'jake', bio: null, image: null, token: expect.any(String) },
      });
    });

    it('should refuse a taken email (case-insensitively) and username with 422 naming both', async () => {
      await sut.call('post', '/api/users', { body: user() });
      const res = await sut.call('post', '/api/users', { body: user({ email: 'JAKE@example.com' }) });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { email: ['has already been taken'], username: ['has already been taken'] } });
    });

    it.each([
      ['username', { username: '' }],
      ['username', { username: 'has spaces' }],
      ['email', { email: 'not-an-email' }],
      ['password', { password: 'short' }],
      ['password', { password: 12345678 }],
    ])('should refuse an invalid %s with 422', async (field, over) => {
      const res = await sut.call('post', '/api/users', { body: user(over) });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });

    it('should refuse a body without "user" with 422', async () => {
      const res = await sut.call('post', '/api/users', { body: { username: 'x' } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { user: ['user should not be null or undefined'] } });
    });

    it('should never return or store the password in clear', async () => {
      const res = await sut.call('post', '/api/users', { body: user() });
      expect(res.text).not.toContain('password123');
      const rows: { password_hash: string }[] = await sut.app.get(DataSource).query('SELECT password_hash FROM users');
      expect(rows).toEqual([{ password_hash: expect.stringMatching(/^scrypt\$/) }]);
    });
  });

  describe('POST /api/users/login', () => {
    it('should log in with email in any case', async () => {
      await sut.register('jake');
      const res = await sut.call('post', '/api/users/login', {
        body: { user: { email: 'JAKE@example.com', password: 'password123' } },
      });
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual(expect.objectContaining({ username: 'jake', token: expect.any(String) }));
    });

    it('should refuse a wrong password or unknown email with the same 422', async () => {
      await sut.register('jake');
      const wrong = await sut.call('post', '/api/users/login', {
        body: { user: { email: 'jake@example.com', password: 'wrong-password' } },
      });
      const unknown = await sut.call('post', '/api/users/login', {
        body: { user: { email: 'nobody@example.com', password: 'password123' } },
      });
      expect(wrong.status).toBe(422);
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body).toEqual({ errors: { 'email or password': ['is invalid'] } });
    });
  });

  describe('GET /api/user', () => {
    it('should return the current user for Token and Bearer schemes', async () => {
      const { token } = await sut.register('jake');
      const res = await sut.call('get', '/api/user', { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user: { email: 'jake@example.com', username: 'jake', bio: null, image: null, token },
      });
      const bearer = await sut.call('get', '/api/user', { headers: { Authorization: `Bearer ${token}` } });
      expect(bearer.status).toBe(200);
    });

    it.each([
      ['missing', undefined],
      ['malformed', 'Token not-a-jwt'],
      ['wrong scheme', 'Basic abc'],
    ])('should answer 401 for a %s token', async (_case, header) => {
      const res = await sut.call('get', '/api/user', { headers: header ? { Authorization: header } : {} });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { authorization: [expect.any(String)] } });
    });

    // Every forged token below names a user that exists, with claims the app would accept: the 401
    // can only come from checking the signature, the algorithm or the expiry, not from the user lookup.
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const claimsOf = (token: string) =>
      sut.app.get(JwtService).decode<{ sub: number; username: string; exp: number }>(token);

    it('should answer 401 for a tampered token (payload changed, signature kept)', async () => {
      const { token } = await sut.register('jake');
      const [header, , signature] = token.split('.');
      const longer = encode({ ...claimsOf(token), exp: claimsOf(token).exp + 3600 });
      const res = await sut.call('get', '/api/user', { token: [header, longer, signature].join('.') });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { authorization: ['token is invalid'] } });
    });

    it('should answer 401 for a token signed with another secret', async () => {
      const { token } = await sut.register('jake');
      const { sub, username } = claimsOf(token);
      const forged = sut.app.get(JwtService).sign({ sub, username }, { secret: 'not-the-secret-of-this-deployment' });
      const res = await sut.call('get', '/api/user', { token: forged });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { authorization: ['token is invalid'] } });
    });

    it('should answer 401 for an expired token', async () => {
      const { token } = await sut.register('jake');
      const { sub, username } = claimsOf(token);
      const expired = sut.app.get(JwtService).sign({ sub, username }, { expiresIn: -10 });
      const res = await sut.call('get', '/api/user', { token: expired });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { authorization: ['token has expired'] } });
    });

    it('should answer 401 for a token signed with another algorithm ("none")', async () => {
      const { token } = await sut.register('jake');
      const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claimsOf(token))}.x`;
      const res = await sut.call('get', '/api/user', { headers: { Authorization: `Token ${unsigned}` } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { authorization: ['token is invalid'] } });
    });
  });

  describe('PUT /api/user', () => {
    it('should update fields and keep the rest', async () => {
      const { token } = await sut.register('jake');
      const res = await sut.call('put', '/api/user', {
        token,
        body: { user: { bio: 'I like dragons', image: 'https://example.com/jake.png' } },
      });
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual({
        email: 'jake@example.com',
        username: 'jake',
        bio: 'I like dragons',
        image: 'https://example.com/jake.png',
        token,
      });
    });

    it('should change the password so the new one logs in', async () => {
      const { token } = await sut.register('jake');
      await sut.call('put', '/api/user', { token, body: { user: { password: 'new-password-1' } } });
      const login = await sut.call('post', '/api/users/login', {
        body: { user: { email: 'jake@example.com', password: 'new-password-1' } },
      });
      expect(login.status).toBe(200);
    });

    it('should refuse a username taken by someone else with 422', async () => {
      const { token } = await sut.register('jake');
      await sut.register('anne');
      const res = await sut.call('put', '/api/user', { token, body: { user: { username: 'anne' } } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { username: ['has already been taken'] } });
    });

    it('should refuse an empty update and an invalid image with 422', async () => {
      const { token } = await sut.register('jake');
      const empty = await sut.call('put', '/api/user', { token, body: { user: {} } });
      expect(empty.status).toBe(422);
      const image = await sut.call('put', '/api/user', { token, body: { user: { image: 'javascript:alert(1)' } } });
      expect(image.status).toBe(422);
      expect(Object.keys(image.body.errors)).toEqual(['image']);
    });

    it.each([['email'], ['username'], ['password']])('should refuse a null %s with 422', async (field) => {
      const { token } = await sut.register('jake');
      const res = await sut.call('put', '/api/user', { token, body: { user: { [field]: null, bio: 'x' } } });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });

    it('should accept null for bio and image (clearing them)', async () => {
      const { token } = await sut.register('jake');
      await sut.call('put', '/api/user', { token, body: { user: { bio: 'x', image: 'https://example.com/a.png' } } });
      const res = await sut.call('put', '/api/user', { token, body: { user: { bio: null, image: null } } });
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual(expect.objectContaining({ bio: null, image: null }));
    });

    it('should answer 401 without a token', async () => {
      const res = await sut.call('put', '/api/user', { body: { user: { bio: 'x' } } });
      expect(res.status).toBe(401);
    });
  });

  describe('profiles', () => {
    it('should show a profile with following false to anonymous and strangers', async () => {
      await sut.register('celeb');
      const res = await sut.call('get', '/api/profiles/celeb');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ profile: { username: 'celeb', bio: null, image: null, following: false } });
    });

    it('should follow and unfollow with 200, and show following to the follower only', async () => {
      await sut.register('celeb');
      const fan = await sut.register('fan');
      const other = await sut.register('other');
      const follow = await sut.call('post', '/api/profiles/celeb/follow', { token: fan.token });
      expect(follow.status).toBe(200);
      expect(follow.body.profile.following).toBe(true);
      expect((await sut.call('get', '/api/profiles/celeb', { token: fan.token })).body.profile.following).toBe(true);
      expect((await sut.call('get', '/api/profiles/celeb', { token: other.token })).body.profile.following).toBe(false);
      expect((await sut.call('get', '/api/profiles/celeb')).body.profile.following).toBe(false);
      const unfollow = await sut.call('delete', '/api/profiles/celeb/follow', { token: fan.token });
      expect(unfollow.status).toBe(200);
      expect(unfollow.body.profile.following).toBe(false);
      expect((await sut.call('get', '/api/profiles/celeb', { token: fan.token })).body.profile.following).toBe(false);
    });

    it('should answer 404 for an unknown profile, and 401 to follow anonymously', async () => {
      expect((await sut.call('get', '/api/profiles/nobody')).status).toBe(404);
      await sut.register('celeb');
      expect((await sut.call('post', '/api/profiles/celeb/follow')).status).toBe(401);
    });

    it('should refuse following yourself with 422', async () => {
      const me = await sut.register('me');
      const res = await sut.call('post', '/api/profiles/me/follow', { token: me.token });
      expect(res.status).toBe(422);
    });

    it('should show a changed bio on the profile right after the update', async () => {
      const jake = await sut.register('jake');
      await sut.call('get', '/api/profiles/jake');
      await sut.call('put', '/api/user', { token: jake.token, body: { user: { bio: 'new bio' } } });
      expect((await sut.call('get', '/api/profiles/jake')).body.profile.bio).toBe('new bio');
    });
  });
});
