import { Controller, Get, Header, NotFoundException, Post } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { ResponseCache } from './response.cache';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import { PersonalizedBody } from './personalized-body';
import { renderSpliced, spliceDocument, ViewerFlag } from './spliced-json';

// The collaborator that keeps whole anonymous responses: only what it is handed matters here.
const responses = { remember: jest.fn() };

const LIST = { articles: [{ slug: 'a', tagList: ['x'] }], articlesCount: 1 };
const TAGS_JSON = '{"tags":["dragons","training"]}';
const TEMPLATE = spliceDocument({ favorited: new ViewerFlag('favorites', 1) });
const PERSONALIZED = new PersonalizedBody(renderSpliced(TEMPLATE), TEMPLATE, {
  stamp: { names: ['x'], versions: [1] },
});

@Controller()
class FixtureController {
  @Get('api/articles')
  listArticles(): object {
    return LIST;
  }

  @Get('api/tags')
  getTags(): string {
    return TAGS_JSON;
  }

  @Get('api/personalized')
  getPersonalized(): PersonalizedBody {
    return PERSONALIZED;
  }

  @Post('api/articles')
  createArticle(): object {
    return { article: { slug: 'a' } };
  }

  @Get('api/articles/missing')
  getMissing(): never {
    throw new NotFoundException();
  }

  @Get('api/uncacheable')
  @Header('Cache-Control', 'no-store')
  getUncacheable(): object {
    return { a: 1 };
  }

  @Get('health/live')
  live(): object {
    return { status: 'ok' };
  }

  @Get('api/monitoring/performance')
  performance(): object {
    return { uptime: 1 };
  }
}

function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

describe(HttpCacheInterceptor.name, () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [FixtureController],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: HttpCacheInterceptor },
        { provide: ResponseCache, useValue: responses },
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  // Over real HTTP: Fastify's inject() needs ESM-only packages this Jest setup does not transpile.
  function get(url: string, headers: Record<string, string> = {}) {
    return request(app.getHttpServer()).get(url).set(headers);
  }

  describe('GET with a JSON body', () => {
    it('should send the JSON with a strong ETag of its exact bytes, public for anonymous requests', async () => {
      const res = await get('/api/articles');

      expect(res.status).toBe(200);
      expect(res.text).toBe(JSON.stringify(LIST));
      expect(res.headers).toEqual(
        expect.objectContaining({
          etag: etagOf(res.text),
          'cache-control': 'public, max-age=0, must-revalidate',
          vary: 'Authorization',
          'content-type': 'application/json; charset=utf-8',
        }),
      );
      expect(res.headers.etag).toMatch(/^"[\w-]{27}"$/);
    });

    it('should mark responses to authenticated requests private', async () => {
      const res = await get('/api/articles', { authorization: 'Token abc' });

      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(res.headers.vary).toBe('Authorization');
      expect(res.headers.etag).toBe(etagOf(JSON.stringify(LIST)));
    });

    it('should answer 304 with no body when If-None-Match matches', async () => {
      const { headers } = await get('/api/articles');

      const res = await get('/api/articles', { 'if-none-match': String(headers.etag) });

      expect(res.status).toBe(304);
      expect(res.text).toBe('');
      expect(res.headers).toEqual(
        expect.objectContaining({ etag: headers.etag, 'cache-control': 'public, max-age=0, must-revalidate' }),
      );
    });

    it.each([
      ['a weak form of the tag', (etag: string) => `W/${etag}`],
      ['a list holding the tag', (etag: string) => `"other", ${etag}`],
      ['*', () => '*'],
    ])('should answer 304 for %s', async (_case, ifNoneMatch) => {
      const { headers } = await get('/api/articles');

      const res = await get('/api/articles', { 'if-none-match': ifNoneMatch(String(headers.etag)) });

      expect(res.status).toBe(304);
    });

    it('should answer 200 when If-None-Match does not match', async () => {
      const res = await get('/api/articles', { 'if-none-match': '"stale"' });

      expect(res.status).toBe(200);
      expect(res.text).toBe(JSON.stringify(LIST));
    });

    it('should keep a Cache-Control the route set itself', async () => {
      const res = await get('/api/uncacheable');

      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.etag).toBe(etagOf('{"a":1}'));
    });
  });

  describe('GET with a string body', () => {
    it('should send it as JSON, byte for byte, tagged with its hash', async () => {
      const res = await get('/api/tags');

      expect(res.status).toBe(200);
      expect(res.text).toBe(TAGS_JSON);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.etag).toBe(etagOf(TAGS_JSON));
    });

    it('should hand the response cache only what a cached route built (a PersonalizedBody)', async () => {
      responses.remember.mockClear();
      await get('/api/tags');
      await request(app.getHttpServer()).get('/api/tags').set('Authorization', 'Token x.y.z');

      expect(responses.remember).not.toHaveBeenCalled();
    });

    it('should send a PersonalizedBody as its text, handing its template to the response cache', async () => {
      responses.remember.mockClear();
      const res = await get('/api/personalized');

      expect(res.text).toBe(PERSONALIZED.json);
      expect(res.headers.etag).toBe(etagOf(PERSONALIZED.json));
      expect(responses.remember).toHaveBeenCalledWith(expect.anything(), etagOf(PERSONALIZED.json), PERSONALIZED);
    });
  });

  describe('what it leaves alone', () => {
    it('should not touch other methods', async () => {
      const res = await request(app.getHttpServer()).post('/api/articles');

      expect(res.status).toBe(201);
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['cache-control']).toBeUndefined();
    });

    it('should not touch errors', async () => {
      const res = await get('/api/articles/missing', { 'if-none-match': '*' });

      expect(res.status).toBe(404);
      expect(res.headers.etag).toBeUndefined();
    });

    it.each(['/health/live', '/api/monitoring/performance'])('should not touch %s', async (url) => {
      const res = await get(url, { 'if-none-match': '*' });

      expect(res.status).toBe(200);
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['cache-control']).toBeUndefined();
    });
  });
});
