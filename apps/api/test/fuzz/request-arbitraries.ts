import fc from 'fast-check';
import { junkBody, refusedBody, wellShapedBody, type Payload } from './body-arbitraries';
import { headerValue, percentEncode, shortOddString, urlPiece } from './hostile-values';
import { paramsOf, ROUTES, type Fixture, type Param, type RouteSpec } from './routes';

export interface FuzzRequest {
  /** The route template it was aimed at (the summary counts by it). */
  route: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: Payload;
  /** Set when the request must be refused: what makes it so. */
  poison?: string;
}

type Poison = 'auth' | 'param' | 'owner' | 'body';

/** JSON-escaped (NUL and unpaired surrogates show), long strings cut: how a failing request is printed. */
function shown(value: unknown): string {
  const text = Buffer.isBuffer(value) ? `<bytes ${value.toString('hex')}>` : (JSON.stringify(value) ?? 'none');
  return text.length > 400 ? `${text.slice(0, 400)}…(${text.length} chars)` : text;
}

/** A failing request as the report prints it: exact, but readable. */
export function describeRequest(req: FuzzRequest): string {
  const { authorization, ...others } = req.headers;
  const headers = Object.entries(others).map(([name, value]) => `${name}=${shown(value).slice(0, 60)}`);
  const claims = /\.([\w-]+)\./.exec(authorization ?? '')?.[1];
  const decoded = claims ? ` (claims ${Buffer.from(claims, 'base64url').toString()})` : '';
  return (
    `${req.method} ${shown(req.url)} payload=${shown(req.payload)} authorization=${shown(authorization)}${decoded} ` +
    `${headers.join(' ')}${req.poison ? ` (must be refused: ${req.poison})` : ''}`
  );
}

/** Authorization headers that sign in: both schemes, extra spaces. */
function signingIn(f: Fixture, who: 'alice' | 'bob' | 'either'): fc.Arbitrary<string> {
  const tokens = who === 'either' ? [f.alice.token, f.bob.token] : [f[who].token];
  return fc
    .tuple(fc.constantFrom('Token ', 'Bearer ', 'Token   ', ' Token '), fc.constantFrom(...tokens))
    .map(([scheme, token]) => `${scheme}${token}`);
}

/** Authorization headers that must be 401: forged, expired, for no user, malformed. */
function refusedAuth(f: Fixture): fc.Arbitrary<string> {
  const [header, payload, signature] = f.alice.token.split('.');
  const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  return fc.oneof(
    fc.constantFrom(...f.refusedTokens).map((t) => `Token ${t}`),
    fc.constantFrom(
      `Token ${header}.${payload}.${flipped}`,
      `Token ${header}.${payload}.`,
      `Token ${f.alice.token} extra`,
      `Token ${f.alice.token}.${signature}`,
      f.alice.token,
      'Token',
      'Token ',
      'Bearer null',
      'Basic YWxpY2U6cGFzc3dvcmQ=',
    ),
    headerValue,
    headerValue.map((v) => `Token ${v}`),
  );
}

function anyAuth(f: Fixture): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: signingIn(f, 'either'), weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: refusedAuth(f), weight: 2 },
  );
}

function validParam(f: Fixture, param: Param): string {
  if (param === 'username') return f.alice.username;
  return param === 'slug' ? f.slug : String(f.commentId);
}

/** A param naming nothing that exists: odd text, an integer in disguise, or one too large. */
function refusedParam(f: Fixture, param: Param): fc.Arbitrary<string> {
  const named = validParam(f, param);
  return fc
    .oneof(urlPiece, fc.integer({ min: 1_000_000, max: 2_147_483_647 }).map(String), fc.constant(`${named}x`))
    .filter((p) => p !== '' && p !== named && !(param === 'id' && /^\d+$/.test(p) && Number(p) === f.commentId));
}

const anyParam = (f: Fixture, param: Param) =>
  fc.oneof({ arbitrary: fc.constant(validParam(f, param)), weight: 2 }, refusedParam(f, param));

/** A query string: the route's own parameters (and unknown ones) with odd, repeated or bracketed values. */
function queryString(route: RouteSpec): fc.Arbitrary<string> {
  const names = fc.constantFrom(
    ...(route.query ?? []),
    'limit',
    '__proto__[polluted]',
    'constructor[prototype][polluted]',
    'tag[]',
    'tag[0]',
    '',
  );
  const value = fc.oneof(urlPiece, fc.nat(120).map(String), shortOddString.map(percentEncode));
  return fc
    .array(fc.tuple(names, value), { maxLength: 5 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([n, v]) => `${n}=${v}`).join('&')}`));
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json;;',
];

/** Headers beside Authorization; a payload usually travels as JSON, sometimes as something else. */
function extraHeaders(withPayload: boolean): fc.Arbitrary<Record<string, string>> {
  return fc.record(
    {
      'content-type': withPayload
        ? fc.oneof({ arbitrary: fc.constant('application/json'), weight: 6 }, fc.constantFrom(...CONTENT_TYPES))
        : fc.constantFrom(...CONTENT_TYPES),
      accept: fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*'), headerValue),
      'if-none-match': fc.oneof(fc.constantFrom('*', 'W/"x"', '"0"'), headerValue),
      'x-request-id': headerValue,
      'x-forwarded-for': fc.oneof(fc.constantFrom('1.2.3.4', '::1, 10.0.0.1', 'unknown'), headerValue),
      'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', '*'),
      origin: fc.oneof(fc.constant('https://evil.example'), headerValue),
      cookie: headerValue,
    },
    { requiredKeys: withPayload ? ['content-type'] : [] },
  );
}

function poisonsOf(route: RouteSpec): Poison[] {
  const poisons: Poison[] = [];
  if (route.auth === 'required') poisons.push('auth');
  if (paramsOf(route.template).length > 0) poisons.push('param');
  if (route.owned) poisons.push('owner');
  if (route.body) poisons.push('body');
  return poisons;
}

/** One request to `route`; with a poison, built so that it must be refused, for that reason. */
function request(f: Fixture, route: RouteSpec, poison: Poison | null, wellShaped: boolean): fc.Arbitrary<FuzzRequest> {
  const params = paramsOf(route.template);
  const poisonedParam = poison === 'param' ? fc.constantFrom(...params) : fc.constant(null);
  const auth =
    poison === 'auth'
      ? fc.option(refusedAuth(f), { freq: 4 })
      : poison === 'owner'
        ? signingIn(f, 'bob')
        : wellShaped
          ? fc.oneof({ arbitrary: signingIn(f, 'either'), weight: 4 }, anyAuth(f))
          : anyAuth(f);
  const body: fc.Arbitrary<{ payload?: Payload; poison?: string }> =
    poison === 'body' && route.body
      ? refusedBody(route.body)
      : route.body && wellShaped
        ? wellShapedBody(route.body).map((payload) => ({ payload }))
        : fc.option(junkBody, { freq: 3 }).map((payload) => ({ payload: payload ?? undefined }));
  return poisonedParam.chain((bad) =>
    fc
      .record({
        auth,
        values: fc.tuple(...params.map((p) => (p === bad ? refusedParam(f, p) : anyParam(f, p)))),
        query: fc.option(queryString(route), { freq: 2 }),
        body,
      })
      .chain(({ auth: authorization, values, query, body: { payload, poison: bodyPoison } }) =>
        extraHeaders(payload !== undefined).map((headers): FuzzRequest => {
          let i = 0;
          const path = route.template.replace(/:\w+/g, () => values[i++]);
          if (authorization !== undefined && authorization !== null) headers.authorization = authorization;
          const why = poison === 'body' ? bodyPoison : poison === 'param' ? `${bad} names nothing` : poison;
          return {
            route: `${route.method} ${route.template}`,
            method: route.method,
            url: path + (query ?? ''),
            headers,
            payload,
            poison: why ?? undefined,
          };
        }),
      ),
  );
}

/** Requests that must all be refused when they could change anything (and reads with hostile parts). */
export function refusedRequests(f: Fixture): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    ...ROUTES.map((route) =>
      route.mutates
        ? fc.constantFrom(...poisonsOf(route)).chain((p) => request(f, route, p, false))
        : request(f, route, null, false),
    ),
  );
}

/** Well-shaped requests with odd content, mostly signed in: some are accepted and change data. */
export function wellShapedRequests(f: Fixture): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    ...ROUTES.map((route) =>
      // Deleting the seeded article would leave the other routes nothing to find.
      route.template === '/api/articles/:slug' && route.method === 'DELETE'
        ? request(f, route, 'param', true)
        : request(f, route, null, true),
    ),
  );
}
