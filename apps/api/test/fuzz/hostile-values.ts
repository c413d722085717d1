import fc from 'fast-check';

/**
 * Strings a careless parser, validator or query trips on: NUL and control characters, unpaired
 * surrogates, bidi and zero-width marks, text that looks like SQL or a template, numbers in disguise,
 * and names JavaScript objects already carry.
 */
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ud83d',
  '\u{1F600}',
  '\ufeff',
  '\u202e',
  '\u200b',
  'Ω≈ç√',
  '١٢٣',
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  'SELECT * FROM users',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '%',
  '\\',
  '"',
  '\n',
  '\r\n',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  ' 1',
  '+1',
  '1.0',
  '9'.repeat(30),
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const grapheme = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 });

/** A short odd string: from the list above, or random code units (some unpaired surrogates and controls). */
export const shortOddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: fc.oneof(grapheme, loneSurrogate, controlChar), maxLength: 20 }), weight: 2 },
);

/** Any odd string, or a huge repetition (some over the body limit). */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: shortOddString, weight: 10 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('a', '\u0000', '\ud800', 'é', '😀'), fc.integer({ min: 256, max: 70_000 }))
      .map(([s, n]) => s.repeat(n)),
    weight: 1,
  },
);

/** Strings that break a text rule on their own: a NUL or an unpaired surrogate somewhere in them. */
export const illFormedString: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff'), fc.string())
  .map(([before, bad, after]) => `${before}${bad}${after}`);

/** Legal but unusual text (any grapheme: emoji, RTL, combining marks) of 1 to 60 graphemes. */
export const unusualText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0),
  fc.constantFrom("'; DROP TABLE users; --", 'SELECT 1', '{{7*7}}', '<b>x</b>', '__proto__', 'ﷺ 😀 ‮x'),
);

const JSON_KEYS = ['__proto__', 'constructor', 'prototype', 'user', 'article', 'comment', 'isAdmin', 'polluted'];
const NUMBERS = ['-0', '1e400', '-1e400', '123456789012345678901234567890', '1E2', '0.1e-400', '2147483648'];

const jsonScalar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', 'false', ...NUMBERS),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  oddString.map((s) => JSON.stringify(s)),
);

/**
 * Random JSON as text, built by hand so it can hold what JSON.stringify cannot: duplicate keys,
 * `__proto__` as an own key, numbers outside the double range.
 */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, jsonScalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...JSON_KEYS), oddString), tie('value')), { maxLength: 4 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
})).value;

/** JSON nested past any sane limit (33 levels up to 100,000: ~200-500 KB, some over the body limit). */
export const deeplyNested: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('array', 'object'), fc.constantFrom(33, 64, 1_000, 10_000, 100_000))
  .map(([kind, depth]) =>
    kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

/** Text that is not JSON at all, or only nearly. */
export const malformedJson: fc.Arbitrary<string> = fc.constantFrom(
  '{',
  '{"user":',
  '{"article":{}',
  '[1,]',
  '{"a":1,}',
  'NaN',
  "{'user':{}}",
  '{"user":{}} trailing',
  '\ufeff{"user":{}}',
  '/* comment */ {}',
  'undefined',
  '{"user":"\\x00"}',
  '{"user":"\u0000"}',
  '{"user":"\\ud800',
  '"\\',
);

/** Bytes that are not UTF-8, wrapped in JSON-looking text. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .uint8Array({ minLength: 1, maxLength: 32 })
  .map((bytes) => Buffer.concat([Buffer.from('{"user":{"email":"'), Buffer.from(bytes), Buffer.from('"}}')]));

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Percent-encodes the UTF-8 bytes of any string (encodeURIComponent throws on unpaired surrogates). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return UNRESERVED.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** A path segment or query value: percent-encoded odd text, or raw sequences a URL decoder chokes on. */
export const urlPiece: fc.Arbitrary<string> = fc.oneof(
  shortOddString.map(percentEncode),
  fc.integer({ min: 513, max: 8000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('%', '%zz', '%ED%A0%80', '%C0%AE', '%00', '%2F', '..', '%2e%2e', '.', 'a%20b', ';', 'a;b=c', '*'),
  fc.constantFrom('0x10', '1e1', '+1', '-1', '1.0', '0', '01', '99999999999999999999', '2147483648', '١'),
);

const headerChar = fc
  .integer({ min: 0x20, max: 0xff })
  .filter((c) => c !== 0x7f)
  .map((c) => String.fromCharCode(c));

/** A header value an HTTP parser lets through: printable ASCII and Latin-1, up to 4 KB. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 60 }),
  fc.integer({ min: 256, max: 4096 }).map((n) => 'A'.repeat(n)),
);
