import { CachingModule } from '@app/caching';
import type { AppConfig } from '@app/config';
import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { OptionalAuthGuard, RequiredAuthGuard } from './auth/auth.guards';
import { AuthRateLimitModule } from './auth/rate-limit.module';
import { TokenService } from './auth/token.service';
import { UserPresence } from './auth/user-presence';
import { ProfileRepository } from './profile.repository';
import { ProfileService } from './profile.service';
import { ProfilesController } from './profiles.controller';
import { UserEvents } from './user-events';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';
import { UsersController } from './users.controller';
import { ViewerRelationsService } from './viewer-relations.service';

/** Users, authentication (JWT), profiles and follows. */
@Module({
  imports: [
    DatabaseModule,
    CachingModule,
    AuthRateLimitModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const jwt = config.get('jwt', { infer: true });
        // A KeyObject, built once: given a string, jsonwebtoken first tries (and fails) to parse it as a
        // public key on every verify, which was half the CPU of an authenticated read.
        const secret = createSecretKey(Buffer.from(jwt.secret, 'utf8'));
        return { secret, signOptions: { algorithm: 'HS256', expiresIn: jwt.expiresInSeconds } };
      },
    }),
  ],
  controllers: [UsersController, ProfilesController],
  providers: [
    TokenService,
    UserPresence,
    RequiredAuthGuard,
    OptionalAuthGuard,
    UserRepository,
    UserService,
    UserEvents,
    ProfileRepository,
    ProfileService,
    ViewerRelationsService,
  ],
  exports: [TokenService, UserPresence, RequiredAuthGuard, OptionalAuthGuard, UserEvents, ViewerRelationsService],
})
export class UsersModule {}
