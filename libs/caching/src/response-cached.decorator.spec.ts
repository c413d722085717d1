import { loadConfig, type AppConfig } from '@app/config';
import { Controller, Get } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import { ResponseCacheModule } from './caching.module';
import { ResponseCached } from './response-cached.decorator';
import { ResponseCache } from './response.cache';
import { CacheService } from './cache.service';
import { CachingModule } from './caching.module';
import { cacheKey } from './cache-key';
import { PersonalizedBody } from './personalized-body';
import { renderSpliced, spliceDocument } from './spliced-json';

const handled = { tags: 0, feed: 0 };

@Controller('api')
class FixtureController {
  constructor(private readonly cache: CacheService) {}

  @Get('tags')
  @ResponseCached()
  async getTags(): Promise<PersonalizedBody> {
    handled.tags++;
    const cached = await this.cache.fetch(cacheKey('t:tags', 'tags'), () => Promise.resolve({ tags: ['dragons'] }));
    const template = spliceDocument(cached.value);
    return new PersonalizedBody(renderSpliced(template), template, cached);
  }

  // Matched by the old path regex (/api/articles...), yet per viewer: no @ResponseCached().
  @Get('articles/feed')
  getArticlesFeed(): object {
    handled.feed++;
    return { articles: [], articlesCount: 0 };
  }
}

describe(ResponseCached.name, () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // In-process tier only (no Redis): the route opt-in is what is under test.
    const config: AppConfig = { ...loadConfig(), redis: null };
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        CachingModule,
        ResponseCacheModule.forRoot({
          viewerLookup: { useFactory: () => ({ resolve: () => undefined, sets: () => undefined }) },
        }),
      ],
      controllers: [FixtureController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: HttpCacheInterceptor }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    // As configureApp does: before app.init() registers the routes.
    app.getHttpAdapter().getInstance().addHook('onRoute', app.get(ResponseCache).onRoute);
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    handled.tags = 0;
    handled.feed = 0;
  });

  // Over real HTTP: Fastify's inject() needs ESM-only packages this Jest setup does not transpile.
  const get = (url: string) => request(app.getHttpServer()).get(url);

  it('should answer a decorated route’s repeated anonymous GET from the response tier', async () => {
    const first = await get('/api/tags?n=1');
    const second = await get('/api/tags?n=1');
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(handled.tags).toBe(1);
  });

  it('should let every request of a route without it reach the handler', async () => {
    const held = app.get(ResponseCache).status().bytes;
    await get('/api/articles/feed');
    const second = await get('/api/articles/feed');
    expect(second.status).toBe(200);
    expect(handled.feed).toBe(2);
    expect(app.get(ResponseCache).status().bytes).toBe(held); // nothing kept for it either
  });
});
