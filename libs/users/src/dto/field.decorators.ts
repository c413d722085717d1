import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf } from 'class-validator';

/**
 * The field may be left out, but if it is sent it is validated, `null` included. (`@IsOptional`
 * skips `null` too, which would let `{"email": null}` through to a NOT NULL column.)
 */
export function OptionalField(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** An update body must change something: at least one field sent (`null` counts, to clear a field). */
export function AtLeastOneField(): PropertyDecorator {
  return ValidateBy({
    name: 'atLeastOneField',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' && value !== null && Object.values(value).some((field) => field !== undefined),
      defaultMessage: () => 'must contain at least one field to update',
    },
  });
}

/** Surrounding whitespace is not part of a name, title or address. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * One field's documentation and rules, written once and used by both the "new" and the "update"
 * body: required in the first, optional (but validated when sent) in the second.
 */
export function fieldDefinition(docs: ApiPropertyOptions, ...rules: PropertyDecorator[]) {
  return {
    required: (): PropertyDecorator => applyDecorators(ApiProperty(docs), ...rules),
    optional: (): PropertyDecorator => applyDecorators(ApiPropertyOptional(docs), OptionalField(), ...rules),
  };
}
