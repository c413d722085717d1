import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AuthUser, JwtPayload } from './auth-user';
import { UserPresence, type PresenceNeed } from './user-presence';

// RealWorld sends `Token <jwt>`; `Bearer <jwt>` is accepted for generic clients.
const MAX_VERIFIED = 10_000;

const SCHEME = /^(?:Token|Bearer) +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

export function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ errors: { authorization: [message] } });
}

/** The one wording for a valid token whose user was removed (also GET /api/user's). */
export const USER_GONE = 'user no longer exists';

interface Verified {
  user: AuthUser;
  /** The token's `exp`, in epoch ms. */
  expiresAt: number;
}

/** Issues and verifies HS256 JWTs (algorithm pinned on verify), for users that still exist. */
@Injectable()
export class TokenService {
  /**
   * Authorization headers whose token passed full verification, with its claims and expiry: the same
   * bytes verify the same way under the same secret, so a re-check is a map lookup (the HMAC was a
   * tenth of a signed-in request's CPU on the full path).
   */
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly jwt: JwtService,
    private readonly presence: UserPresence,
  ) {}

  sign(user: { id: number; username: string }): string {
    const payload: JwtPayload = { sub: user.id, username: user.username };
    return this.jwt.sign(payload);
  }

  /**
   * `null` when there is no Authorization header; throws 401 for a present but bad one, or one whose
   * user no longer exists (checked fresh for a write, see UserPresence).
   */
  async authenticate(header: string | undefined, need: PresenceNeed): Promise<AuthUser | null> {
    if (header === undefined || header === '') return null;
    const known = this.unexpired(header);
    const verified = known ?? (await this.verifyHeader(header));
    if (!(await this.presence.exists(verified.user.id, need))) throw unauthorized(USER_GONE);
    // Remembered only for a user seen to exist: the response tier trusts this memo.
    if (known === undefined) this.remember(header, verified);
    return verified.user;
  }

  /** The 401 for a viewer whose row a write statement found gone; this instance stops trusting them at once. */
  viewerGone(userId: number): UnauthorizedException {
    this.presence.forget(userId);
    return unauthorized(USER_GONE);
  }

  /**
   * The viewer id for an Authorization header whose token was verified before and has not expired,
   * and whose user was seen to exist within USER_PRESENCE_TTL_MS; undefined otherwise (the caller
   * then takes the full path, which verifies both). No crypto, no I/O.
   */
  verifiedViewerId(header: string): number | undefined {
    const id = this.unexpired(header)?.user.id;
    return id !== undefined && this.presence.isConfirmed(id) ? id : undefined;
  }

  /** A header verified before whose token has not expired since. */
  private unexpired(header: string): Verified | undefined {
    const known = this.verified.get(header);
    if (known === undefined) return undefined;
    if (known.expiresAt > Date.now()) return known;
    this.verified.delete(header);
    return undefined;
  }

  private async verifyHeader(header: string): Promise<Verified> {
    const match = SCHEME.exec(header.trim());
    if (!match) throw unauthorized('must be "Token <jwt>"');
    const token = match[1];
    const payload = await this.verify(token);
    return {
      user: Object.freeze({ id: payload.sub, username: payload.username, token }),
      expiresAt: payload.exp * 1000,
    };
  }

  private remember(header: string, verified: Verified): void {
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(header, verified);
  }

  private async verify(token: string): Promise<JwtPayload & { exp: number }> {
    try {
      const payload = await this.jwt.verifyAsync<JwtPayload & { exp: number }>(token, { algorithms: ['HS256'] });
      if (!isUserId(payload.sub) || typeof payload.username !== 'string') throw new Error('bad claims');
      return payload;
    } catch (err: unknown) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw unauthorized(expired ? 'token has expired' : 'token is invalid');
    }
  }
}

// users.id is a PostgreSQL integer: a claim outside it names nobody (and must never reach a query).
const MAX_USER_ID = 2_147_483_647;

function isUserId(sub: unknown): sub is number {
  return Number.isInteger(sub) && (sub as number) >= 1 && (sub as number) <= MAX_USER_ID;
}
