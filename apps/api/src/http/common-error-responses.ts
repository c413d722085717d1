import { ErrorResponseDto } from '@app/users';
import { getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { errorExamplesFor, type ErrorExample, type OperationShape } from './error-examples';

interface ResponseObject {
  description?: string;
  content?: Record<string, { schema?: { $ref?: string; required?: string[] }; examples?: Record<string, unknown> }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, ResponseObject>;
  requestBody?: unknown;
  parameters?: { in: string }[];
  security?: Record<string, unknown>[];
}

export const ERROR_ENVELOPE_REF = getSchemaPath(ErrorResponseDto);

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON body',
  401: 'Missing or invalid credentials',
  403: 'Not allowed: only the author may do this',
  404: 'Not found',
  413: 'Body larger than the limit (BODY_LIMIT_KB)',
  422: 'Invalid input, keyed by field (`errors.<field>`)',
  429: 'Too many attempts from this client (see Retry-After)',
  500: 'Unexpected error (the message carries a request id; details are logged)',
  503: 'A dependency (PostgreSQL) is down or its breaker is open (see Retry-After)',
};

const RETRY_AFTER = { description: 'Seconds to wait before retrying', schema: { type: 'integer' } };

function authOf(operation: Operation): OperationShape['auth'] {
  const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (schemes.includes('MonitoringToken')) return 'monitoring';
  if (!schemes.includes('Token')) return 'none';
  // OptionalAuth adds the empty requirement `{}`: anonymous is allowed.
  return operation.security?.some((requirement) => Object.keys(requirement).length === 0) ? 'optional' : 'required';
}

/** A response another body owns (Terminus' health report, the database health report) is left alone. */
function isEnvelopeOrBare(response: ResponseObject | undefined): boolean {
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) return true;
  return schema.$ref === ERROR_ENVELOPE_REF || schema.required?.includes('errors') === true;
}

function errorResponse(status: number, examples: ErrorExample[], description: string | undefined): ResponseObject {
  return {
    description: description ?? DESCRIPTIONS[status] ?? 'Error',
    content: {
      'application/json': {
        schema: { $ref: ERROR_ENVELOPE_REF },
        examples: Object.fromEntries(examples.map((e) => [e.summary, { value: { errors: e.errors } }])),
      },
    },
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
  };
}

/**
 * Every error response in the document: one schema (ErrorEnvelope) and examples that are what the
 * API answers, word for word (error-examples.ts). Declared here, whatever each controller says, so
 * the document is complete: a generated client learns the envelope of a 500 or a 503 too. The e2e
 * suite compares every error it sees with these examples (apps/api/test/support/openapi-validator.ts).
 */
export function addErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    // 5xx apply to the content API; elsewhere only the errors the controller declares are filled in.
    const onApi = path.startsWith('/api/');
    for (const operation of Object.values(item as Record<string, Operation>)) {
      const hasInput = operation.requestBody !== undefined || (operation.parameters ?? []).length > 0;
      const examples = errorExamplesFor({
        operationId: operation.operationId,
        hasBody: operation.requestBody !== undefined,
        hasInput,
        auth: authOf(operation),
      });
      // A class-wide 422 also lands on routes that take no input, where validation cannot fail.
      if (!hasInput && !examples[422]) delete operation.responses['422'];
      for (const [status, list] of Object.entries(examples)) {
        const existing = operation.responses[status];
        if (!existing && !onApi) continue;
        if (!isEnvelopeOrBare(existing)) continue;
        operation.responses[status] = errorResponse(Number(status), list, existing?.description);
      }
    }
  }
  return document;
}
