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
