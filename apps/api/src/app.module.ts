import { AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { AppLoggerModule } from './http/logger.module';
import { createValidationPipe } from './http/validation.pipe';

@Module({
  imports: [AppConfigModule, AppLoggerModule, DatabaseModule],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class AppModule {}
