import { HttpException, HttpStatus } from '@nestjs/common';

/** PostgreSQL is down (or its breaker is open): 503 with `Retry-After`, in the API's error envelope. */
export class DatabaseUnavailableException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ errors: { database: ['is temporarily unavailable, retry later'] } }, HttpStatus.SERVICE_UNAVAILABLE);
  }
}
