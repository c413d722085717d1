import { isConnectionError } from '@app/database';
import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** The RealWorld error body: `{"errors": {"<field>": ["message"]}}`, used for every error. */
export interface ErrorEnvelope {
  errors: Record<string, string[]>;
}

export interface ErrorResponse {
  status: number;
  body: ErrorEnvelope;
  headers: Record<string, string>;
  /** True when the cause is ours (5xx other than a dependency being down): log it with its stack. */
  unexpected: boolean;
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'must not be empty when Content-Type is application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'has an unsupported Content-Type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'has a Content-Length that does not match its size',
};

function isEnvelope(value: unknown): value is ErrorEnvelope {
  return typeof value === 'object' && value !== null && 'errors' in value && typeof value.errors === 'object';
}

function messageOf(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return fallback;
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const headers: Record<string, string> = {};
  // Any exception that knows when to come back (database or dependency down) says so.
  const retryAfter = (exception as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  const body = isEnvelope(response) ? response : { errors: { body: [messageOf(response, exception.message)] } };
  return { status, body, headers, unexpected: status >= 500 && status !== 503 };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause ? errorCode(cause) : undefined;
}

/**
 * Maps anything thrown to a status, headers and the RealWorld envelope. Only messages we wrote reach
 * the client: driver errors, SQL and stacks never do (they are logged with the request id instead).
 */
export function toErrorResponse(exception: unknown, requestId: string): ErrorResponse {
  if (exception instanceof HttpException) return fromHttpException(exception);
  const code = errorCode(exception);
  if (code && FASTIFY_CODES[code]) {
    const statusCode = (exception as { statusCode?: number }).statusCode ?? 400;
    return {
      status: statusCode,
      body: { errors: { body: [`Request body ${FASTIFY_CODES[code]}`] } },
      headers: {},
      unexpected: false,
    };
  }
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const message = STATUS_CODES[statusCode] ?? 'Bad Request';
    return { status: statusCode, body: { errors: { body: [message] } }, headers: {}, unexpected: false };
  }
  if (code === '22021') {
    // PostgreSQL cannot store a NUL character (0x00) in text: the input is at fault, not the server.
    return {
      status: 422,
      body: { errors: { body: ['contains a character that is not allowed (NUL)'] } },
      headers: {},
      unexpected: false,
    };
  }
  // A connection-level failure means "down", not "bug" (the same test the database breaker uses).
  if (isConnectionError(exception)) {
    return {
      status: 503,
      body: { errors: { service: ['is temporarily unavailable, retry later'] } },
      headers: { 'retry-after': '5' },
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: { errors: { body: [`Internal server error (request id ${requestId})`] } },
    headers: {},
    unexpected: true,
  };
}
