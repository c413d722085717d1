import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/**
 * Every error: `{"errors": {"<field>": ["message"]}}`. The one schema of it in the OpenAPI document
 * (named ErrorEnvelope); the examples per operation and status are added where the document is built.
 */
@ApiSchema({ name: 'ErrorEnvelope', description: 'Every error: `{"errors": {"<field>": ["message"]}}`' })
export class ErrorResponseDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'Messages keyed by the field (or the resource) they are about',
  })
  errors!: Record<string, string[]>;
}
