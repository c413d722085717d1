import {
  UnprocessableEntityException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { illFormedText } from './ill-formed-text';

/**
 * Flattens nested errors (`user.email`) to RealWorld's field-keyed shape: `{ email: ['...'] }`. A field
 * whose own shape is wrong (`"user": []`) is reported alone: what its elements contain means nothing,
 * and "nested property must be either object or array" only repeats "must be an object".
 */
export function toFieldErrors(
  errors: ValidationError[],
  into: Record<string, string[]> = {},
): Record<string, string[]> {
  for (const error of errors) {
    if (error.constraints) {
      const { nestedValidation, ...own } = error.constraints;
      const messages = Object.values(own);
      const field = (into[error.property] ??= []);
      // One message per problem: IsInt, Min and Max all say "must be an integer from 1 to 100".
      for (const message of messages.length > 0 ? messages : [nestedValidation]) {
        if (!field.includes(message)) field.push(message);
      }
      continue;
    }
    if (error.children?.length) toFieldErrors(error.children, into);
  }
  return into;
}

const DECIMAL_DIGITS = /^\d+$/;

/** Input validation for every route (APP_PIPE): unknown fields stripped, errors as 422 keyed by field. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Before the rules: validator.js' isEmail throws on an unpaired surrogate (a 500 otherwise).
    const illFormed = illFormedText(value, metadata);
    if (illFormed) throw new UnprocessableEntityException({ errors: illFormed });
    return super.transform(value, metadata) as Promise<unknown>;
  }

  /**
   * Nest turns a `number` param or query value into `+value` before the route's own pipe sees it, so
   * "1.0", "+1", " 1", "0x1" and "1e0" all became 1 (the fuzz suite deleted comment 1 through
   * `DELETE .../comments/1.0`). Only decimal digits convert; anything else stays text to be refused.
   */
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.metatype === Number && typeof value === 'string' && !DECIMAL_DIGITS.test(value)) return value;
    return super.transformPrimitive(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new UnprocessableEntityException({ errors: toFieldErrors(errors) }),
  });
}
