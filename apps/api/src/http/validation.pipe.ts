import { UnprocessableEntityException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Flattens nested errors (`user.email`) to RealWorld's field-keyed shape: `{ email: ['...'] }`. */
export function toFieldErrors(
  errors: ValidationError[],
  into: Record<string, string[]> = {},
): Record<string, string[]> {
  for (const error of errors) {
    if (error.constraints) {
      (into[error.property] ??= []).push(...Object.values(error.constraints));
    }
    if (error.children?.length) toFieldErrors(error.children, into);
  }
  return into;
}

/** Input validation for every route (APP_PIPE): unknown fields stripped, errors as 422 keyed by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new UnprocessableEntityException({ errors: toFieldErrors(errors) }),
  });
}
