import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-envelope';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';

/** The one place errors become responses (registered as APP_FILTER). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendError(exception, request, reply, this.logger);
  }
}

/** Also Fastify's `frameworkErrors` handler (errors raised before routing, before any hook ran). */
export function sendError(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const requestId = requestIdOf(request.raw);
  const response = toErrorResponse(exception, requestId);
  if (response.unexpected) {
    logger.error({ err: exception, requestId, method: request.method, url: request.url }, 'Unhandled error');
  }
  if (reply.sent) return;
  void reply
    .code(response.status)
    .headers({ ...response.headers, [REQUEST_ID_HEADER]: requestId, 'cache-control': 'no-store' })
    .type('application/json; charset=utf-8')
    .send(response.body);
}
