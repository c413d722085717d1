import { CacheService, CachingModule, HttpCacheInterceptor, ResponseCache } from '@app/caching';
import { AppConfigModule } from '@app/config';
import { ContentModule } from '@app/content';
import { DatabaseModule } from '@app/database';
import { MonitoringModule } from '@app/monitoring';
import { UsersModule } from '@app/users';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { AppLoggerModule } from './http/logger.module';
import { createValidationPipe } from './http/validation.pipe';
import { SchemaBootstrap } from './schema-bootstrap';

@Module({
  imports: [
    AppConfigModule,
    AppLoggerModule,
    DatabaseModule,
    CachingModule,
    UsersModule,
    ContentModule,
    MonitoringModule.forRoot({ cacheStatusSource: CacheService, responseTierSource: ResponseCache }),
  ],
  providers: [
    SchemaBootstrap,
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_INTERCEPTOR, useClass: HttpCacheInterceptor },
  ],
})
export class AppModule {}
