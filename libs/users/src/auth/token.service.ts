import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AuthUser, JwtPayload } from './auth-user';

// RealWorld sends `Token <jwt>`; `Bearer <jwt>` is accepted for generic clients.
const MAX_VERIFIED = 10_000;

const SCHEME = /^(?:Token|Bearer) +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

export function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ errors: { authorization: [message] } });
}

/** Issues and verifies HS256 JWTs (algorithm pinned on verify). */
@Injectable()
export class TokenService {
  /** Tokens that passed full verification, with their expiry: a re-check is a map lookup. */
  private readonly verified = new Map<string, { id: number; expiresAt: number }>();

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
      const payload = await this.jwt.verifyAsync<JwtPayload & { exp: number }>(token, { algorithms: ['HS256'] });
      if (!Number.isInteger(payload.sub) || typeof payload.username !== 'string') throw new Error('bad claims');
      this.rememberVerified(header, payload.sub, payload.exp);
      return { id: payload.sub, username: payload.username, token };
    } catch (err: unknown) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw unauthorized(expired ? 'token has expired' : 'token is invalid');
    }
  }

  /**
   * The viewer id for an Authorization header whose token was verified before and has not expired;
   * undefined otherwise (the caller then takes the full path, which verifies it). No crypto, no I/O.
   */
  verifiedViewerId(header: string): number | undefined {
    const known = this.verified.get(header);
    if (known === undefined) return undefined;
    if (known.expiresAt > Date.now()) return known.id;
    this.verified.delete(header);
    return undefined;
  }

  private rememberVerified(header: string, id: number, exp: number): void {
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(header, { id, expiresAt: exp * 1000 });
  }
}
