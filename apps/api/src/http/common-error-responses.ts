import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = { responses: Record<string, unknown>; requestBody?: unknown; security?: unknown[] };

const ERROR_SCHEMA = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'string' } },
      example: { body: ['is temporarily unavailable, retry later'] },
    },
  },
};

const errorResponse = (description: string, retryAfter = false) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
  ...(retryAfter
    ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } }
    : {}),
});

/**
 * The errors every API operation can answer, whatever its controller says: declared once here so the
 * document stays complete (a generated client learns the envelope of a 500 or a 503 too).
 */
export function addCommonErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, ErrorEnvelope: ERROR_SCHEMA };
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const operation of Object.values(item as Record<string, Operation>)) {
      const responses = operation.responses;
      if (operation.requestBody !== undefined) {
        responses['400'] ??= errorResponse('Malformed JSON body');
        responses['413'] ??= errorResponse('Body larger than the limit (BODY_LIMIT_KB)');
      }
      responses['500'] ??= errorResponse('Unexpected error (the message carries a request id; details are logged)');
      responses['503'] ??= errorResponse('A dependency (PostgreSQL) is down or its breaker is open', true);
    }
  }
  return document;
}
