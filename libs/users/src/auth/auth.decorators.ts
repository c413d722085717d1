import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../dto/error-response.dto';
import { VIEWER_CHECKED_BY_WRITE } from './auth-metadata';
import type { AuthUser } from './auth-user';
import { OptionalAuthGuard, RequiredAuthGuard, type RequestWithUser } from './auth.guards';

/** The RealWorld `Token` security scheme name in the OpenAPI document. */
export const TOKEN_SCHEME = 'Token';

/**
 * A signed-in user is required. `viewerCheckedByWrite`: the route's one write statement refuses a
 * removed viewer itself (answering TokenService.viewerGone), so the guard skips its own query for it.
 */
export function Auth(options: { viewerCheckedByWrite?: boolean } = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(RequiredAuthGuard),
    SetMetadata(VIEWER_CHECKED_BY_WRITE, options.viewerCheckedByWrite === true),
    ApiSecurity(TOKEN_SCHEME),
    ApiUnauthorizedResponse({ description: 'Missing, malformed, tampered or expired token', type: ErrorResponseDto }),
  );
}

/** Signed in or anonymous; a token, when sent, must be valid. */
export function OptionalAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(OptionalAuthGuard),
    ApiSecurity(TOKEN_SCHEME),
    ApiSecurity({}),
    ApiUnauthorizedResponse({ description: 'A token was sent but is invalid', type: ErrorResponseDto }),
  );
}

/** The caller (`null` when anonymous on an optional-auth route). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser | null =>
    context.switchToHttp().getRequest<RequestWithUser>().authUser ?? null,
);
