import { CacheService, ResponseCache } from '@app/caching';
import { DatabaseService } from '@app/database';
import { TestApp } from './support/test-app';

type User = { token: string; username: string };

/**
 * Which routes the response tier answers: those declared `@ResponseCached()`, and only those. A request
 * the tier answers never reaches Nest's pipeline, so HttpCacheInterceptor never hands it to `remember`.
 */
describe('Response tier opt-in', () => {
  let sut: TestApp;
  let remembered: jest.SpyInstance;
  let author: User;
  let slug: string;

  beforeAll(async () => {
    sut = await TestApp.start();
  });
  beforeEach(async () => {
    await sut.truncate();
    author = await sut.register('author');
    const res = await sut.call('post', '/api/articles', {
      token: author.token,
      body: { article: { title: 'Opted in', description: 'd', body: 'b', tagList: ['tier'] } },
    });
    slug = res.body.article.slug;
    remembered = jest.spyOn(sut.app.get(ResponseCache), 'remember');
  });
  afterEach(() => {
    remembered.mockRestore();
  });
  afterAll(async () => {
    await sut.close();
  });

  const get = (url: string, viewer?: User) => sut.call('get', url, { token: viewer?.token });

  it.each([
    '/api/articles',
    '/api/articles/{slug}',
    '/api/articles/{slug}/comments',
    '/api/tags',
    '/api/profiles/author',
  ])('should answer a repeated anonymous GET %s from the response tier', async (route) => {
    const url = route.replace('{slug}', slug);
    const first = await get(url);
    expect(remembered).toHaveBeenCalledTimes(1);
    const second = await get(url);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(remembered).toHaveBeenCalledTimes(1);
  });

  it('should renew pages a favorite outdated without the full path, showing the favorite at once', async () => {
    const fan = await sut.register('fan');
    const urls = ['/api/articles', `/api/articles/${slug}`];
    for (const url of urls) for (let i = 0; i < 2; i++) expect((await get(url)).body).toBeDefined();
    const tier = sut.app.get(ResponseCache);
    const hits = tier.status().hits;
    remembered.mockClear();

    await sut.call('post', `/api/articles/${slug}/favorite`, { token: fan.token });
    const [list, article, fansList] = [await get(urls[0]), await get(urls[1]), await get(urls[0], fan)];

    expect(list.body.articles[0]).toMatchObject({ slug, favoritesCount: 1, favorited: false });
    expect(article.body.article).toMatchObject({ favoritesCount: 1, favorited: false });
    expect(fansList.body.articles[0]).toMatchObject({ favoritesCount: 1, favorited: true });
    // Renewed and answered by the tier: Nest's pipeline (which hands its answers to `remember`) never ran.
    expect(remembered).not.toHaveBeenCalled();
    expect(tier.status().hits).toBe(hits + 3);
  });

  it('should never answer the feed from the response tier: each viewer gets their own', async () => {
    const [fan, stranger] = [await sut.register('fan'), await sut.register('stranger')];
    await sut.call('post', '/api/profiles/author/follow', { token: fan.token });
    const held = sut.app.get(ResponseCache).status().bytes;
    remembered.mockClear();

    for (let round = 0; round < 2; round++) {
      const fans = await get('/api/articles/feed', fan);
      expect(fans.body).toEqual({ articles: [expect.objectContaining({ slug })], articlesCount: 1 });
      const strangers = await get('/api/articles/feed', stranger);
      expect(strangers.body).toEqual({ articles: [], articlesCount: 0 });
    }
    expect(remembered).not.toHaveBeenCalled(); // nothing handed to the tier: the feed is no PersonalizedBody
    expect(sut.app.get(ResponseCache).status().bytes).toBe(held);
  });

  it('should keep one instance of each shared service, however many modules import its module', () => {
    for (const shared of [CacheService, DatabaseService, ResponseCache]) {
      expect(sut.app.get(shared, { each: true })).toHaveLength(1);
    }
  });
});
