import {
  CacheService,
  CachingModule,
  HttpCacheInterceptor,
  ResponseCache,
  ResponseCacheModule,
  type ViewerLookup,
} from '@app/caching';
import { AppConfigModule } from '@app/config';
import { ContentModule, ViewerOverlayService } from '@app/content';
import { DatabaseModule } from '@app/database';
import { MonitoringModule } from '@app/monitoring';
import { TokenService, UsersModule } from '@app/users';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { AppLoggerModule } from './http/logger.module';
import { createValidationPipe } from './http/validation.pipe';
import { SchemaBootstrap } from './schema-bootstrap';

// The response tier answers signed-in readers whose token users verified and whose sets content holds.
// One module object, imported twice below: Nest then keeps one ResponseCache.
const responseTier = ResponseCacheModule.forRoot({
  imports: [UsersModule, ContentModule],
  viewerLookup: {
    inject: [TokenService, ViewerOverlayService],
    useFactory: (tokens: TokenService, overlay: ViewerOverlayService): ViewerLookup => ({
      resolve: (authorization) => tokens.verifiedViewerId(authorization),
      sets: (viewerId) => overlay.peekSets(viewerId),
    }),
  },
});

@Module({
  imports: [
    AppConfigModule.forRoot(),
    AppLoggerModule,
    DatabaseModule,
    UsersModule,
    ContentModule,
    responseTier,
    MonitoringModule.forRoot({
      imports: [DatabaseModule, CachingModule, responseTier],
      cacheStatusSource: CacheService,
      responseTierSource: ResponseCache,
    }),
  ],
  providers: [
    SchemaBootstrap,
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_INTERCEPTOR, useClass: HttpCacheInterceptor },
  ],
})
export class AppModule {}
