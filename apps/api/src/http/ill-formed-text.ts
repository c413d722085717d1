import 'reflect-metadata'; // design:type of nested DTO fields
import type { ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

export const NUL_MESSAGE = 'must not contain a NUL character';
export const SURROGATE_MESSAGE = 'must be well-formed Unicode text (no unpaired surrogate)';

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag).
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Class = abstract new (...args: never[]) => unknown;
type FieldErrors = Record<string, string[]>;
/** A DTO's validated fields, each with the DTO class it nests (`user` → NewUserDto), if any. */
type Fields = Map<string, Class | undefined>;

const fieldsByClass = new WeakMap<Class, Fields>();

function fieldsOf(dto: Class): Fields {
  let fields = fieldsByClass.get(dto);
  if (fields) return fields;
  fields = new Map();
  fieldsByClass.set(dto, fields); // before the nested classes are read: a DTO may nest itself
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false)) {
    const declared: unknown =
      rule.type === ValidationTypes.NESTED_VALIDATION
        ? Reflect.getMetadata('design:type', dto.prototype as object, rule.propertyName)
        : undefined;
    if (!fields.get(rule.propertyName)) fields.set(rule.propertyName, isDto(declared) ? declared : undefined);
  }
  return fields;
}

/** A class with validation rules (memoized: asked for every argument of every request). */
function isDto(type: unknown): type is Class {
  return typeof type === 'function' && fieldsOf(type as Class).size > 0;
}

/** The message for the first ill-formed string found in `value` (a string, or strings at any depth). */
function problemIn(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (value.includes('\0')) return NUL_MESSAGE;
    return UNPAIRED_SURROGATE.test(value) ? SURROGATE_MESSAGE : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const item of Object.values(value)) {
    const problem = problemIn(item);
    if (problem) return problem;
  }
  return undefined;
}

function collect(value: unknown, dto: Class, into: FieldErrors): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return; // shape is the DTO's to judge
  for (const [name, nested] of fieldsOf(dto)) {
    const field: unknown = (value as Record<string, unknown>)[name];
    if (nested) {
      collect(field, nested, into);
      continue;
    }
    const problem = problemIn(field);
    if (problem) (into[name] ??= []).push(problem);
  }
}

/**
 * Strings PostgreSQL cannot store (NUL) or that are not text at all (an unpaired UTF-16 surrogate,
 * which also makes validator.js' isEmail throw a URIError), keyed by the field that holds them. Only
 * the fields the DTO declares are looked at: unknown ones are stripped by the pipe anyway.
 */
export function illFormedText(value: unknown, metadata: ArgumentMetadata): FieldErrors | undefined {
  const errors: FieldErrors = {};
  const type = metadata.metatype;
  if (isDto(type)) collect(value, type, errors);
  else if (typeof value === 'string' && metadata.type !== 'custom') {
    const problem = problemIn(value);
    if (problem) errors[metadata.data ?? metadata.type] = [problem];
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}
