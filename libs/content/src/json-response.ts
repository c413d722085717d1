import { applyDecorators, Header } from '@nestjs/common';

/** Handlers that return pre-serialized JSON strings (see view-template.ts) send them as JSON. */
export function JsonString(): MethodDecorator {
  return applyDecorators(Header('Content-Type', 'application/json; charset=utf-8'));
}
