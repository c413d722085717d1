import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user';
import { TokenService, unauthorized } from './token.service';

export type RequestWithUser = FastifyRequest & { authUser?: AuthUser | null };

// Methods that change nothing: their viewer's existence may come from the recent-answer memo.
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function attachUser(context: ExecutionContext, tokens: TokenService): Promise<AuthUser | null> {
  const request = context.switchToHttp().getRequest<RequestWithUser>();
  const need = READS.has(request.method) ? 'read' : 'write';
  request.authUser = await tokens.authenticate(request.headers.authorization, need);
  return request.authUser;
}

/** The route needs a signed-in user: 401 without a valid token. */
@Injectable()
export class RequiredAuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!(await attachUser(context, this.tokens))) throw unauthorized('is required');
    return true;
  }
}

/** Anonymous is fine, but a token that is sent must be valid (never silently ignored). */
@Injectable()
export class OptionalAuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await attachUser(context, this.tokens);
    return true;
  }
}
