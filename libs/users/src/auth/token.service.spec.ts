import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { httpError } from '../../../../test-support/http-error';
import { strictMock } from '../../../../test-support/strict-mock';
import { TokenService } from './token.service';
import { UserPresence } from './user-presence';

const GONE = httpError(401, { errors: { authorization: ['user no longer exists'] } });

describe(TokenService.name, () => {
  let sut: TokenService;
  let presence: jest.Mocked<UserPresence>;
  let header: string;
  let jwt: JwtService;

  beforeEach(() => {
    // The real JwtService, as UsersModule configures it: signing and verifying are what is under test.
    const secret = createSecretKey(Buffer.from('unit-test-secret-0123456789abcdefghijkl', 'utf8'));
    jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256', expiresIn: 3600 } });
    presence = strictMock(UserPresence);
    sut = new TokenService(jwt, presence);
    header = `Token ${sut.sign({ id: 7, username: 'jake' })}`;
  });

  describe('authenticate', () => {
    it('should answer the user when the token is valid and the user exists, asking with the need given', async () => {
      presence.exists.mockResolvedValue(true);

      await expect(sut.authenticate(header, 'write')).resolves.toEqual({
        id: 7,
        username: 'jake',
        token: header.slice('Token '.length),
      });
      expect(presence.exists).toHaveBeenCalledWith(7, 'write');
    });

    it.each(['read', 'write'] as const)('should answer 401 "user no longer exists" on a %s', async (need) => {
      presence.exists.mockResolvedValue(false);

      await expect(sut.authenticate(header, need)).rejects.toEqual(GONE);
    });

    it('should answer 401 for a bad signature without asking about the user', async () => {
      await expect(sut.authenticate(`${header.slice(0, -2)}xx`, 'read')).rejects.toEqual(
        httpError(401, { errors: { authorization: ['token is invalid'] } }),
      );
    });

    it.each([0, -1, 2_147_483_648, 9_007_199_254_740_994, 1e300, 1.5])(
      'should answer 401 for a correctly signed token whose user id %p is no users.id, without a query',
      async (id) => {
        const forged = `Token ${sut.sign({ id, username: 'nobody' })}`;

        await expect(sut.authenticate(forged, 'read')).rejects.toEqual(
          httpError(401, { errors: { authorization: ['token is invalid'] } }),
        );
      },
    );

    it('should verify a header once, then trust it until its token expires', async () => {
      presence.exists.mockResolvedValue(true);
      const verify = jest.spyOn(jwt, 'verifyAsync');

      await sut.authenticate(header, 'read');
      const again = await sut.authenticate(header, 'write');

      expect(again).toMatchObject({ id: 7, username: 'jake' });
      expect(verify).toHaveBeenCalledTimes(1);
      expect(presence.exists).toHaveBeenLastCalledWith(7, 'write');
      const past = Date.now() + 3601_000;
      jest.spyOn(Date, 'now').mockReturnValue(past);
      await expect(sut.authenticate(header, 'read')).rejects.toEqual(
        httpError(401, { errors: { authorization: ['token has expired'] } }),
      );
      jest.restoreAllMocks();
    });

    it('should answer null without a header', async () => {
      await expect(sut.authenticate(undefined, 'write')).resolves.toBeNull();
    });
  });

  describe('verifiedViewerId', () => {
    it('should be undefined for a token never verified', () => {
      expect(sut.verifiedViewerId(header)).toBeUndefined();
    });

    it('should answer the id while the user is confirmed, and undefined once not', async () => {
      presence.exists.mockResolvedValue(true);
      await sut.authenticate(header, 'read');
      presence.isConfirmed.mockReturnValueOnce(true).mockReturnValueOnce(false);

      expect(sut.verifiedViewerId(header)).toBe(7);
      expect(sut.verifiedViewerId(header)).toBeUndefined();
      expect(presence.isConfirmed).toHaveBeenCalledWith(7);
    });

    it('should not remember a token whose user is gone', async () => {
      presence.exists.mockResolvedValue(false);
      await expect(sut.authenticate(header, 'read')).rejects.toEqual(GONE);

      expect(sut.verifiedViewerId(header)).toBeUndefined();
    });
  });
});
