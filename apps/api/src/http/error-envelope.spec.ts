import { BadRequestException, HttpException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { toErrorResponse } from './error-envelope';

describe(toErrorResponse.name, () => {
  it('should keep an envelope a service threw', () => {
    const sut = toErrorResponse(new UnprocessableEntityException({ errors: { email: ['is invalid'] } }), 'r1');
    expect(sut).toEqual({ status: 422, body: { errors: { email: ['is invalid'] } }, headers: {}, unexpected: false });
  });

  it('should wrap a plain Nest exception message', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x'), 'r1').body).toEqual({
      errors: { body: ['Cannot GET /x'] },
    });
    expect(toErrorResponse(new BadRequestException(['a', 'b']), 'r1').body).toEqual({ errors: { body: ['a; b'] } });
  });

  it('should pass Retry-After from an exception that knows it', () => {
    const unavailable = Object.assign(new HttpException({ errors: { database: ['down'] } }, 503), {
      retryAfterSeconds: 3,
    });
    const sut = toErrorResponse(unavailable, 'r1');
    expect(sut.status).toBe(503);
    expect(sut.headers).toEqual({ 'retry-after': '3' });
    expect(sut.unexpected).toBe(false);
  });

  it('should map Fastify body errors to their status with a message of ours', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    expect(toErrorResponse(tooLarge, 'r1')).toEqual({
      status: 413,
      body: { errors: { body: ['Request body is too large'] } },
      headers: {},
      unexpected: false,
    });
  });

  it('should answer a connection failure with 503 and Retry-After', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const sut = toErrorResponse(refused, 'r1');
    expect(sut.status).toBe(503);
    expect(sut.headers['retry-after']).toBe('5');
    expect(JSON.stringify(sut.body)).not.toContain('5432');
  });

  it.each([
    ['a write during shutdown (QueryRunnerAlreadyReleasedError)', new QueryRunnerAlreadyReleasedError()],
    ['a closed pool', new Error('Cannot use a pool after calling end on the pool')],
  ])('should answer %s with 503 and Retry-After, not 500', (_name, error) => {
    const sut = toErrorResponse(error, 'r1');

    expect(sut).toEqual({
      status: 503,
      body: { errors: { service: ['is temporarily unavailable, retry later'] } },
      headers: { 'retry-after': '5' },
      unexpected: false,
    });
  });

  it('should hide an unexpected error behind a generic 500 with the request id', () => {
    const sut = toErrorResponse(new Error('relation "users" does not exist: SELECT * FROM users'), 'req-42');
    expect(sut).toEqual({
      status: 500,
      body: { errors: { body: ['Internal server error (request id req-42)'] } },
      headers: {},
      unexpected: true,
    });
  });
});
