import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, isObject, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';

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
      // Anything but an object is BodyObject's to refuse, with its own message.
      validate: (value: unknown) => !isObject(value) || Object.values(value).some((field) => field !== undefined),
      defaultMessage: () => 'must contain at least one field to update',
    },
  });
}

/**
 * The object a body wraps its fields in (`{"user": {...}}`): sent, an object and not an array (which
 * `@ValidateNested` would take as a list of them: `{"user": []}` passed, then failed in the service),
 * and validated as `type`.
 */
export function BodyObject(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    IsDefined(),
    ValidateBy(
      {
        name: 'isObject',
        // null and undefined are IsDefined's to refuse: one message per problem.
        validator: { validate: (value: unknown) => value == null || isObject(value) },
      },
      { message: '$property must be an object' },
    ),
    ValidateNested(),
    Type(type),
  );
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
