import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user';
import { VIEWER_CHECKED_BY_WRITE } from './auth-metadata';
import { TokenService, unauthorized } from './token.service';

export type RequestWithUser = FastifyRequest & { authUser?: AuthUser | null };

// Methods that change nothing: their viewer's existence may come from the recent-answer memo.
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function attachUser(
  context: ExecutionContext,
  tokens: TokenService,
  checkedByWrite = false,
): Promise<AuthUser | null> {
  const request = context.switchToHttp().getRequest<RequestWithUser>();
  const need = READS.has(request.method) || checkedByWrite ? 'read' : 'write';
  request.authUser = await tokens.authenticate(request.headers.authorization, need);
  return request.authUser;
}

/** The route needs a signed-in user: 401 without a valid token. */
@Injectable()
export class RequiredAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const checkedByWrite = this.reflector.get<boolean>(VIEWER_CHECKED_BY_WRITE, context.getHandler());
    if (!(await attachUser(context, this.tokens, checkedByWrite))) throw unauthorized('is required');
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
