import { ApiProperty } from '@nestjs/swagger';

/** Every error: `{"errors": {"<field>": ["message"]}}`. */
export class ErrorResponseDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { email: ['has already been taken'] },
  })
  errors!: Record<string, string[]>;
}
