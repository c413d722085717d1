import fc from 'fast-check';
import {
  deeplyNested,
  illFormedString,
  invalidUtf8,
  jsonText,
  malformedJson,
  oddString,
  unusualText,
} from './hostile-values';
import type { BodySpec, FieldKind } from './routes';

/** A body as sent: JSON text (possibly not JSON at all) or raw bytes. */
export type Payload = string | Buffer;

const PLAIN: Record<FieldKind, string> = {
  // Valid for every text field, the username and the password included.
  text: '"fuzzplain"',
  email: '"fuzz-plain@example.com"',
  url: '"https://example.com/a.png"',
  tags: '["fuzz"]',
  nullableText: '"fuzz bio"',
  nullableUrl: '"https://example.com/a.png"',
};

const object = (entries: [string, string][]): string =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

/** The fields of a well-formed body with plain values: the base that one poison then spoils. */
function plainFields(spec: BodySpec): [string, string][] {
  const names = spec.required.length > 0 ? spec.required : Object.keys(spec.fields).slice(0, 1);
  return names.map((name) => [name, PLAIN[spec.fields[name]]]);
}

const nonObjectJson = jsonText.filter((t) => !t.startsWith('{'));
const quoted = (s: fc.Arbitrary<string>) => s.map((v) => JSON.stringify(v));

/** A value no field of this kind accepts: another JSON type, text with a NUL or unpaired surrogate, deep nesting. */
function wrongValue(kind: FieldKind): fc.Arbitrary<string> {
  const wrongForText = fc.oneof(
    fc.constantFrom('0', '1e400', 'true', '[]', '{}', '["x"]', '{"x":"y"}'),
    quoted(illFormedString),
    deeplyNested,
  );
  if (kind !== 'tags') return wrongForText;
  return fc.oneof(
    quoted(oddString),
    fc.constantFrom('0', 'true', '{}', '{"0":"a"}', '[1]', '[null]', '[[]]', '[{}]', '[true]', '["a",["b"]]'),
    quoted(illFormedString).map((s) => `[${s}]`),
    deeplyNested,
  );
}

/**
 * A body this route must refuse, whatever else the request carries: not JSON, not an object, the
 * envelope not an object, one field of the wrong type or ill-formed, a required field missing, or
 * the fields smuggled in through `__proto__` / `constructor.prototype`.
 */
export function refusedBody(spec: BodySpec): fc.Arbitrary<{ payload: Payload; poison: string }> {
  const fields = plainFields(spec);
  const valid = object(fields);
  const envelope = (inner: string) => object([[spec.key, inner]]);
  const tag = (poison: string) => (payload: Payload) => ({ payload, poison });
  const fieldNames = Object.keys(spec.fields);
  const choices = [
    fc.oneof(nonObjectJson, deeplyNested, malformedJson, fc.constant('')).map(tag('body not an object')),
    invalidUtf8.map(tag('bytes that are not UTF-8')),
    fc
      .oneof(nonObjectJson, deeplyNested, fc.constant(`[${valid}]`), fc.constant('[[]]'))
      .map((inner) => envelope(inner))
      .map(tag(`${spec.key} not an object`)),
    fc.constant(`{"${spec.key}":${valid},"${spec.key}":[]}`).map(tag('duplicate key, the last an array')),
    fc.constantFrom(...fieldNames).chain((name) =>
      wrongValue(spec.fields[name]).map((bad) => ({
        payload: envelope(object([...fields.filter(([n]) => n !== name), [name, bad]])),
        poison: `${name} of the wrong type or ill-formed`,
      })),
    ),
    fc
      .constantFrom(
        `{"__proto__":${envelope(valid)}}`,
        envelope(`{"__proto__":${valid}}`),
        `{"constructor":{"prototype":${envelope(valid)}}}`,
        envelope(`{"constructor":{"prototype":${valid}}}`),
      )
      .map(tag('fields only through a prototype key')),
  ];
  if (spec.required.length > 0) {
    choices.push(
      fc.constantFrom(...spec.required).map((missing) => ({
        payload: envelope(object(fields.filter(([n]) => n !== missing))),
        poison: `${missing} missing`,
      })),
    );
  } else {
    choices.push(fc.constant(envelope('{}')).map(tag('no field to update')));
  }
  return fc.oneof(...choices);
}

/** A legal-looking value for a field (unusual text, sometimes null, empty or too long): the server may take it or refuse it. */
function oddValue(kind: FieldKind): fc.Arbitrary<string> {
  const text = quoted(fc.oneof(unusualText, fc.constantFrom('', ' ', 'x'.repeat(300))));
  switch (kind) {
    case 'email':
      return fc.oneof(quoted(fc.emailAddress()), text);
    case 'url':
    case 'nullableUrl':
      return fc.oneof(quoted(fc.webUrl()), text, fc.constant('null'));
    case 'tags':
      return fc.array(quoted(unusualText), { maxLength: 22 }).map((tags) => `[${tags.join(',')}]`);
    case 'nullableText':
      return fc.oneof(text, fc.constant('null'));
    default:
      return text;
  }
}

/** A well-shaped body with odd but legal content, some fields left out and a stray key or two. */
export function wellShapedBody(spec: BodySpec): fc.Arbitrary<Payload> {
  const entries = Object.entries(spec.fields).map(([name, kind]) =>
    fc.option(
      oddValue(kind).map((v): [string, string] => [name, v]),
      { freq: 4 },
    ),
  );
  const stray = fc.array(fc.tuple(fc.constantFrom('isAdmin', 'id', 'createdAt', 'author'), jsonText), {
    maxLength: 2,
  });
  return fc
    .tuple(fc.tuple(...entries), stray)
    .map(([fields, extra]) =>
      object([[spec.key, object([...fields.filter((f): f is [string, string] => f !== null), ...extra])]]),
    );
}

/** Any body at all, for routes that take none or to mix into any request. */
export const junkBody: fc.Arbitrary<Payload> = fc.oneof(
  jsonText,
  deeplyNested,
  malformedJson,
  invalidUtf8,
  fc.constant(''),
);
