import { DataSource } from 'typeorm';
import { performance } from 'node:perf_hooks';
import { TestApp, type ApiResponse } from './support/test-app';

type Method = 'get' | 'post' | 'put' | 'delete';
/** A body as sent: an object (serialized by supertest) or raw JSON text. */
type Body = object | string;

const TABLES = ['users', 'follows', 'articles', 'tags', 'article_tags', 'favorites', 'comments'];
const LIMIT = ['must be an integer from 1 to 100'];
const OFFSET = ['must be a non-negative integer'];
const NOT_AN_OBJECT = (field: string) => [`${field} must be an object`];
const NUL = ['must not contain a NUL character'];
const SURROGATE = ['must be well-formed Unicode text (no unpaired surrogate)'];
const TOO_DEEP = { body: ['Request body is nested deeper than 32 levels'] };

const validUser = { username: 'newbie', email: 'newbie@example.com', password: 'password123' };
const validArticle = { title: 'Fresh', description: 'New', body: 'Text', tagList: ['a'] };
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/**
 * Hostile input (issue 10, findings 1, 2, 3 and 8): each body, string and number below is refused
 * with the exact status and envelope before any service code runs, and leaves every table as it was.
 */
describe('Hostile input', () => {
  let sut: TestApp;
  let token: string;
  let slug: string;
  let before: Record<string, string>;

  /** Every row of every table, hashed: equal before and after means nothing changed, timestamps included. */
  const state = async (): Promise<Record<string, string>> => {
    const db = sut.app.get(DataSource);
    const hashes: Record<string, string> = {};
    for (const table of TABLES) {
      const [row] = await db.query<{ n: number; h: string }[]>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS h FROM ${table} t`,
      );
      hashes[table] = `${row.n}:${row.h}`;
    }
    return hashes;
  };

  const send = (method: Method, url: string, body?: Body): Promise<ApiResponse> =>
    typeof body === 'string'
      ? sut.call(method, url, { token, body, headers: { 'Content-Type': 'application/json' } })
      : sut.call(method, url, { token, body });

  beforeAll(async () => {
    sut = await TestApp.start();
    await sut.truncate();
    token = (await sut.register('jake')).token;
    const created = await send('post', '/api/articles', { article: { ...validArticle, title: 'Dragons' } });
    slug = (created.body as { article: { slug: string } }).article.slug;
    await send('post', `/api/articles/${slug}/comments`, { comment: { body: 'First' } });
    before = await state();
  });
  afterAll(async () => {
    await sut.close();
  });

  const expectRefused = async (res: ApiResponse, status: number, errors: Record<string, string[]>) => {
    expect({ status: res.status, body: res.body as unknown }).toEqual({ status, body: { errors } });
    expect(await state()).toEqual(before);
  };

  describe('shape before meaning', () => {
    const routes: [Method, () => string, string][] = [
      ['post', (): string => '/api/users', 'user'],
      ['post', (): string => '/api/users/login', 'user'],
      ['put', (): string => '/api/user', 'user'],
      ['post', (): string => '/api/articles', 'article'],
      ['put', (): string => `/api/articles/${slug}`, 'article'],
      ['post', (): string => `/api/articles/${slug}/comments`, 'comment'],
    ];
    const notObjects: [string, (valid: object) => unknown][] = [
      ['an empty array', () => []],
      ['an array holding a valid object', (valid) => [valid]],
      ['an array of arrays', () => [[]]],
      ['a string', () => 'x'],
      ['a number', () => 5],
      ['true', () => true],
    ];
    const valid: Record<string, object> = {
      user: validUser,
      article: validArticle,
      comment: { body: 'Hello' },
    };
    describe.each(routes)('%s %s', (method, url, wrapper) => {
      it.each(notObjects)(`should refuse "${wrapper}" as %s with 422`, async (_name, make) => {
        const res = await send(method, url(), { [wrapper]: make(valid[wrapper]) });
        await expectRefused(res, 422, { [wrapper]: NOT_AN_OBJECT(wrapper) });
      });

      it.each([
        ['an array', '[]'],
        ['a string', '"x"'],
        ['a number', '5'],
        ['null', 'null'],
      ])('should refuse a body that is %s with 422', async (_name, raw) => {
        const res = await send(method, url(), raw);
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors as object)).toEqual([wrapper]);
        expect(await state()).toEqual(before);
      });
    });

    it.each([
      ['title', { title: ['x'] }, ['title must be a string']],
      ['description', { description: { a: 'b' } }, ['description must be a string']],
      ['body', { body: 5 }, ['body must be a string']],
      ['tagList', { tagList: { 0: 'a' } }, ['tagList must be an array']],
      ['tagList', { tagList: [1] }, ['each value in tagList must be a string']],
      ['tagList', { tagList: [['a']] }, ['each value in tagList must be a string']],
    ])('should refuse a non-string %s in an article with 422', async (field, over, messages) => {
      const res = await send('post', '/api/articles', { article: { ...validArticle, ...over } });
      expect(res.status).toBe(422);
      expect(res.body.errors[field]).toEqual(expect.arrayContaining(messages));
      expect(Object.keys(res.body.errors as object)).toEqual([field]);
      expect(await state()).toEqual(before);
    });

    it.each([
      ['/api/users', 'username', { user: { ...validUser, username: ['newbie'] } }],
      ['/api/users', 'password', { user: { ...validUser, password: 12345678 } }],
      ['/api/users/login', 'email', { user: { email: ['jake@example.com'], password: 'password123' } }],
      ['/api/users/login', 'password', { user: { email: 'jake@example.com', password: ['password123'] } }],
    ])('should refuse a non-string on POST %s (%s) with 422', async (url, field, body) => {
      const res = await send('post', url, body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors as object)).toEqual([field]);
      expect(await state()).toEqual(before);
    });
  });

  describe('depth', () => {
    it('should answer a 200 KB body of "[" x 100,000 with 400 at once', async () => {
      const hostile = '['.repeat(100_000);
      const started = performance.now();
      const res = await send('post', '/api/users', hostile);
      const elapsed = performance.now() - started;
      await expectRefused(res, 400, TOO_DEEP);
      // Under 5 ms on an idle machine; the margin keeps the test stable on a loaded one.
      expect(elapsed).toBeLessThan(50);
    });

    it.each([
      ['in a field', 'post', (): string => '/api/users', `{"user":{"email":${nested(10_000)}}}`],
      ['as tagList', 'post', (): string => '/api/articles', `{"article":{"title":"t","tagList":${nested(33)}}}`],
      ['as tagList on update', 'put', (): string => `/api/articles/${slug}`, `{"article":{"tagList":${nested(40)}}}`],
      ['in objects', 'put', (): string => '/api/user', `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`],
    ] as const)('should refuse JSON nested too deep %s with 400', async (_name, method, url, raw) => {
      await expectRefused(await send(method, url(), raw), 400, TOO_DEEP);
    });

    it('should count brackets only outside strings', async () => {
      const password = `${'['.repeat(50)} "quoted" \\ ${'{'.repeat(50)}`;
      const res = await send('post', '/api/users/login', { user: { email: 'jake@example.com', password } });
      await expectRefused(res, 422, { 'email or password': ['is invalid'] });
    });

    it('should accept nesting up to the limit (32 levels) and judge it by shape', async () => {
      const raw = `{"article":{"tagList":${nested(30)}}}`;
      const res = await send('put', `/api/articles/${slug}`, raw);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual({ tagList: expect.arrayContaining(['each value in tagList must be a string']) });
      expect(await state()).toEqual(before);
    });
  });

  describe('what the JSON parser kept doing', () => {
    it('should take an empty body with Content-Type application/json as no body', async () => {
      const res = await send('post', `/api/articles/${slug}/favorite`, '');
      expect(res.status).toBe(200);
      expect((await send('delete', `/api/articles/${slug}/favorite`, '')).status).toBe(200);
      expect(await state()).toEqual(before);
    });

    it('should refuse malformed JSON with 400 in the envelope', async () => {
      const res = await send('post', '/api/users', '{"user":');
      await expectRefused(res, 400, {
        body: ["Body is not valid JSON but content-type is set to 'application/json'"],
      });
    });

    it.each([
      ['__proto__', '{"user":{"__proto__":{"isAdmin":true},"email":"a@b.cd","password":"password123"}}'],
      ['constructor.prototype', '{"user":{"constructor":{"prototype":{"x":1}},"email":"a@b.cd","password":"x"}}'],
    ])('should refuse a %s key with 400', async (_name, raw) => {
      const res = await send('post', '/api/users/login', raw);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors as object)).toEqual(['body']);
      expect(await state()).toEqual(before);
    });

    it('should refuse a body over BODY_LIMIT_KB with 413', async () => {
      const res = await send('post', '/api/users', `"${'x'.repeat(2 * 1024 * 1024)}"`);
      await expectRefused(res, 413, { body: ['Request body is too large'] });
    });
  });

  describe('strings', () => {
    it.each([
      ['post', (): string => '/api/users', 'email', { user: { ...validUser, email: '\ud800' } }, SURROGATE],
      ['post', (): string => '/api/users', 'username', { user: { ...validUser, username: 'ne\u0000wbie' } }, NUL],
      [
        'post',
        (): string => '/api/users/login',
        'email',
        { user: { email: 'a\udc00@b.cd', password: 'password123' } },
        SURROGATE,
      ],
      [
        'post',
        (): string => '/api/users/login',
        'password',
        { user: { email: 'a@b.cd', password: 'pass\u0000word' } },
        NUL,
      ],
      ['put', (): string => '/api/user', 'email', { user: { email: '\ud800' } }, SURROGATE],
      ['put', (): string => '/api/user', 'bio', { user: { bio: 'x\udfffy' } }, SURROGATE],
      ['put', (): string => '/api/user', 'image', { user: { image: 'http://\ud800.example' } }, SURROGATE],
      [
        'post',
        (): string => '/api/articles',
        'tagList',
        { article: { ...validArticle, tagList: ['ok', 'b\u0000d'] } },
        NUL,
      ],
      ['put', (): string => `/api/articles/${slug}`, 'title', { article: { title: 'T\ud83d' } }, SURROGATE],
      ['post', (): string => `/api/articles/${slug}/comments`, 'body', { comment: { body: '\u0000' } }, NUL],
    ] as const)('should refuse on %s %s an ill-formed %s with 422', async (method, url, field, body, messages) => {
      const res = await send(method, url(), body);
      expect(res.status).toBe(422);
      expect(res.body.errors[field]).toEqual(expect.arrayContaining(messages));
      expect(await state()).toEqual(before);
    });

    it('should accept paired surrogates (emoji) as text', async () => {
      const res = await send('post', '/api/users/login', {
        user: { email: 'jake@example.com', password: 'p🐉ssword' },
      });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { 'email or password': ['is invalid'] } });
    });

    it.each([
      ['/api/articles?tag=a%00b', 'tag'],
      ['/api/articles/a%00b', 'slug'],
      ['/api/profiles/ja%00ke', 'username'],
    ])('should refuse NUL in %s with 422 naming the parameter', async (url, parameter) => {
      const res = await sut.call('get', url);
      expect({ status: res.status, body: res.body as unknown }).toEqual({
        status: 422,
        body: { errors: { [parameter]: NUL } },
      });
    });
  });

  describe('strict numbers', () => {
    it.each(['0x10', '1e1', '%205', '+5', '5.0', '-1', '', '0', '101', '5a', '0b11', 'Infinity', '1_0'])(
      'should refuse limit=%s with 422',
      async (value) => {
        const res = await sut.call('get', `/api/articles?limit=${value}`);
        expect({ status: res.status, body: res.body as unknown }).toEqual({
          status: 422,
          body: { errors: { limit: LIMIT } },
        });
      },
    );

    it.each(['0x1', '1e0', '+1', '1.0', '-0', ' 1'])('should refuse offset=%s with 422', async (value) => {
      const res = await sut.call('get', `/api/articles?offset=${encodeURIComponent(value)}`);
      expect({ status: res.status, body: res.body as unknown }).toEqual({
        status: 422,
        body: { errors: { offset: OFFSET } },
      });
    });

    it('should refuse a repeated limit and a hex limit on the feed too', async () => {
      expect((await sut.call('get', '/api/articles?limit=1&limit=2')).body).toEqual({ errors: { limit: LIMIT } });
      const feed = await sut.call('get', '/api/articles/feed?limit=0x10', { token });
      expect({ status: feed.status, body: feed.body as unknown }).toEqual({
        status: 422,
        body: { errors: { limit: LIMIT } },
      });
    });

    it('should accept decimal digits, leading zeros included', async () => {
      const res = await sut.call('get', '/api/articles?limit=010&offset=00');
      expect(res.status).toBe(200);
      expect(res.body.articlesCount).toBe(1);
    });
  });
});
