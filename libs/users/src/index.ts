export { UsersModule } from './users.module';
export type { AuthUser } from './auth/auth-user';
export { Auth, CurrentUser, OptionalAuth, TOKEN_SCHEME } from './auth/auth.decorators';
export { TokenService } from './auth/token.service';
export { UserEvents } from './user-events';
export { ViewerRelationsService } from './viewer-relations.service';
export { ErrorResponseDto } from './dto/error-response.dto';
export { ProfileDto } from './dto/user-response.dto';
export { hashPassword, verifyPassword } from './password-hasher';
