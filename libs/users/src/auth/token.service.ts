import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AuthUser, JwtPayload } from './auth-user';

// RealWorld sends `Token <jwt>`; `Bearer <jwt>` is accepted for generic clients.
const SCHEME = /^(?:Token|Bearer) +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

export function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ errors: { authorization: [message] } });
}

/** Issues and verifies HS256 JWTs (algorithm pinned on verify). */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  sign(user: { id: number; username: string }): string {
    const payload: JwtPayload = { sub: user.id, username: user.username };
    return this.jwt.sign(payload);
  }

  /** `null` when there is no Authorization header; throws 401 for a present but bad one. */
  async authenticate(header: string | undefined): Promise<AuthUser | null> {
    if (header === undefined || header === '') return null;
    const match = SCHEME.exec(header.trim());
    if (!match) throw unauthorized('must be "Token <jwt>"');
    const token = match[1];
    try {
      const payload = await this.jwt.verifyAsync<JwtPayload>(token, { algorithms: ['HS256'] });
      if (!Number.isInteger(payload.sub) || typeof payload.username !== 'string') throw new Error('bad claims');
      return { id: payload.sub, username: payload.username, token };
    } catch (err: unknown) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw unauthorized(expired ? 'token has expired' : 'token is invalid');
    }
  }
}
