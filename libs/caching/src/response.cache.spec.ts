import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { startCacheInstance, type CacheInstance } from '../test/caching-testing';
import { ResponseCache } from './response.cache';
import type { ViewerLookup } from './response.cache';
import { strongEtag } from './http-cache-headers';
import { cacheKey } from './cache-key';
import { PersonalizedBody } from './personalized-body';
import { renderSpliced, spliceDocument, ViewerFlag, type SplicedJson } from './spliced-json';

const BODY = '{"tags":["a","b"]}';
const ETAG = '"tag-1"';

interface Sent {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}

function fakeRequest(url = '/api/tags', headers: Record<string, string> = {}, method = 'GET'): FastifyRequest {
  return { method, url, headers, raw: {} } as unknown as FastifyRequest;
}

/** Runs the hook; `passed` when it let the request through to Nest, else what it sent. */
function run(sut: ResponseCache, request: FastifyRequest): { passed: boolean; sent?: Sent } {
  const sent: Sent = { status: 200, headers: {}, body: undefined };
  let wasSent = false;
  const reply = {
    header(name: string, value: unknown) {
      sent.headers[name] = value;
      return reply;
    },
    getHeader: (name: string) => sent.headers[name],
    hasHeader: (name: string) => name in sent.headers,
    code(status: number) {
      sent.status = status;
      return reply;
    },
    send(body?: unknown) {
      sent.body = body;
      wasSent = true;
      return reply;
    },
  } as unknown as FastifyReply;
  let passed = false;
  sut.onRequest(request, reply, () => (passed = true));
  return wasSent ? { passed, sent } : { passed };
}

/** Knows nobody until a test says otherwise. */
const viewers: ViewerLookup = { resolve: () => undefined, sets: () => undefined };

function tierOver(instance: CacheInstance): ResponseCache {
  return new ResponseCache(instance.cache, instance.moduleRef.get(ConfigService), viewers);
}

describe(ResponseCache.name, () => {
  let instance: CacheInstance;
  let sut: ResponseCache;

  beforeEach(async () => {
    // In-process tier only: the stamps are what is under test.
    instance = await startCacheInstance({ redis: null });
    sut = tierOver(instance);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await instance.moduleRef.close();
  });

  /** What a cached route returns: `json` built from a value depending on version `dep`, read now. */
  async function body(json = BODY, template: SplicedJson = spliceDocument(JSON.parse(json)), dep = 'tags') {
    const { stamp } = await instance.cache.fetch(cacheKey(`t:${dep}`, dep), () => Promise.resolve(1));
    return new PersonalizedBody(json, template, { stamp });
  }

  /** A miss that Nest answered, as the HTTP interceptor reports it. */
  const fill = async (url = '/api/tags') => {
    const request = fakeRequest(url);
    expect(run(sut, request).passed).toBe(true);
    sut.remember(request, ETAG, await body());
  };

  describe('onRoute', () => {
    const route = (extra: Partial<RouteOptions>): RouteOptions => ({
      method: 'GET',
      url: '/api/tags',
      handler: () => undefined,
      ...extra,
    });
    const ownHook = () => undefined;
    const OTHER_CONFIG = { rateLimit: 5 } as RouteOptions['config']; // another @RouteConfig()

    it('should give a route that opted in the tier’s onRequest hook, after its own hooks', () => {
      const opted = route({ config: { responseCached: true }, onRequest: ownHook });
      sut.onRoute(opted);
      expect(opted.onRequest).toEqual([ownHook, sut.onRequest]);
    });

    it('should keep a route’s array of hooks in order', () => {
      const opted = route({ config: { responseCached: true }, onRequest: [ownHook, ownHook] });
      sut.onRoute(opted);
      expect(opted.onRequest).toEqual([ownHook, ownHook, sut.onRequest]);
    });

    it.each([
      ['no config', route({})],
      ['other config', route({ config: OTHER_CONFIG })],
      ['the flag off', route({ config: { responseCached: false } })],
    ])('should leave a route with %s untouched', (_case, other) => {
      sut.onRoute(other);
      expect(other.onRequest).toBeUndefined();
    });
  });

  describe('onRequest', () => {
    it('should answer a remembered anonymous GET with its bytes, ETag and public Cache-Control', async () => {
      await fill();
      const { passed, sent } = run(sut, fakeRequest());
      expect(passed).toBe(false);
      expect(sent).toEqual({
        status: 200,
        headers: {
          etag: ETAG,
          'cache-control': 'public, max-age=0, must-revalidate',
          vary: 'Authorization',
          'content-type': 'application/json; charset=utf-8',
        },
        body: Buffer.from(BODY),
      });
    });

    it('should answer 304 when If-None-Match matches', async () => {
      await fill();
      const { sent } = run(sut, fakeRequest('/api/tags', { 'if-none-match': ETAG }));
      expect(sent?.status).toBe(304);
      expect(sent?.body).toBeUndefined();
    });

    it('should retire an entry when a version it was built under moves on, and only then', async () => {
      await fill();
      await instance.cache.bump('unrelated');
      expect(run(sut, fakeRequest()).passed).toBe(false);
      await instance.cache.bump('tags');
      expect(run(sut, fakeRequest()).passed).toBe(true);
    });

    it('should not keep a response built before a write', async () => {
      const request = fakeRequest();
      run(sut, request);
      const built = await body();
      await instance.cache.bump('tags');
      sut.remember(request, ETAG, built);
      expect(run(sut, fakeRequest()).passed).toBe(true);
    });

    it('should not keep a response without versions (the cache was bypassed, or a stale copy)', () => {
      const request = fakeRequest();
      run(sut, request);
      sut.remember(request, ETAG, new PersonalizedBody(BODY, spliceDocument(JSON.parse(BODY)), {}));
      expect(run(sut, fakeRequest()).passed).toBe(true);
    });

    it.each([
      ['an authenticated request', fakeRequest('/api/tags', { authorization: 'Token a.b.c' })],
      ['a HEAD request', fakeRequest('/api/tags', {}, 'HEAD')],
      ['a different URL', fakeRequest('/api/tags?x=1')],
    ])('should let %s through', async (_case, request) => {
      await fill();
      expect(run(sut, request).passed).toBe(true);
    });
  });

  describe('signed-in readers', () => {
    const TEMPLATE = spliceDocument({ favorited: new ViewerFlag('favorites', 5) });
    const VIEWER = 'Token viewer.token.sig';

    beforeEach(async () => {
      jest.spyOn(viewers, 'resolve').mockImplementation((authorization) => (authorization === VIEWER ? 42 : undefined));
      jest.spyOn(viewers, 'sets').mockImplementation((viewerId) => (viewerId === 42 ? { favorites: [5] } : undefined));
      const request = fakeRequest('/api/articles/a');
      run(sut, request);
      sut.remember(request, strongEtag(renderSpliced(TEMPLATE)), await body(renderSpliced(TEMPLATE), TEMPLATE));
    });

    it('should render the template with the viewer’s sets, private to them', () => {
      const { sent } = run(sut, fakeRequest('/api/articles/a', { authorization: VIEWER }));
      expect(sent?.body).toEqual(Buffer.from('{"favorited":true}'));
      expect(sent?.headers['cache-control']).toBe('private, no-cache');
      expect(sent?.headers.etag).toBe(strongEtag('{"favorited":true}'));
    });

    it('should still answer anonymous readers with every slot false', () => {
      const { sent } = run(sut, fakeRequest('/api/articles/a'));
      expect(sent?.body).toEqual(Buffer.from('{"favorited":false}'));
    });

    it('should let a token it has not seen verified take the full path', () => {
      expect(run(sut, fakeRequest('/api/articles/a', { authorization: 'Token other.token.sig' })).passed).toBe(true);
    });
  });

  describe('memory', () => {
    it('should stay within its byte budget, dropping the oldest entries first', async () => {
      await instance.moduleRef.close();
      instance = await startCacheInstance({ redis: null, cache: { l1MaxBytes: 4096 } });
      sut = tierOver(instance);
      const page = JSON.stringify({ filler: 'x'.repeat(100) });
      for (let i = 0; i < 50; i++) {
        const request = fakeRequest(`/api/articles?limit=20&junk=${i}`);
        run(sut, request);
        sut.remember(request, ETAG, await body(page));
      }
      expect(sut.status().bytes).toBeLessThanOrEqual(4096);
      expect(run(sut, fakeRequest('/api/articles?limit=20&junk=0')).passed).toBe(true);
      expect(run(sut, fakeRequest('/api/articles?limit=20&junk=49')).passed).toBe(false);
    });
  });

  describe('with caching off', () => {
    it('should never answer', async () => {
      await instance.moduleRef.close();
      instance = await startCacheInstance({ redis: null, cache: { enabled: false } });
      sut = tierOver(instance);
      await fill();
      expect(run(sut, fakeRequest()).passed).toBe(true);
    });
  });
});
