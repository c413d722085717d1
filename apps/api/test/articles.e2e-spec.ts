import { TestApp } from './support/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const newArticle = (over: Record<string, unknown> = {}) => ({
  article: {
    title: 'How to train your dragon',
    description: 'Ever wonder how?',
    body: 'You have to believe',
    tagList: ['training', 'dragons'],
    ...over,
  },
});

describe('Articles', () => {
  let sut: TestApp;
  let jake: { token: string; username: string };
  let anne: { token: string; username: string };

  beforeAll(async () => {
    sut = await TestApp.start();
  });
  beforeEach(async () => {
    await sut.truncate();
    jake = await sut.register('jake');
    anne = await sut.register('anne');
  });
  afterAll(async () => {
    await sut.close();
  });

  const create = async (token: string, over: Record<string, unknown> = {}) => {
    const res = await sut.call('post', '/api/articles', { token, body: newArticle(over) });
    expect(res.status).toBe(201);
    return res.body.article as { slug: string };
  };

  describe('POST /api/articles', () => {
    it('should create with 201, sorted tags and ISO timestamps', async () => {
      const res = await sut.call('post', '/api/articles', { token: jake.token, body: newArticle() });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        article: {
          slug: 'how-to-train-your-dragon',
          title: 'How to train your dragon',
          description: 'Ever wonder how?',
          body: 'You have to believe',
          tagList: ['dragons', 'training'],
          createdAt: expect.stringMatching(ISO),
          updatedAt: expect.stringMatching(ISO),
          favorited: false,
          favoritesCount: 0,
          author: { username: 'jake', bio: null, image: null, following: false },
        },
      });
    });

    it('should keep slugs unique when titles repeat', async () => {
      const first = await create(jake.token);
      const second = await create(anne.token);
      expect(first.slug).toBe('how-to-train-your-dragon');
      expect(second.slug).toMatch(/^how-to-train-your-dragon-[0-9a-f]{8}$/);
    });

    it.each([
      ['title', { title: '' }],
      ['description', { description: 42 }],
      ['body', { body: undefined }],
      ['tagList', { tagList: 'dragons' }],
    ])('should refuse an invalid %s with 422 and store nothing', async (field, over) => {
      const res = await sut.call('post', '/api/articles', { token: jake.token, body: newArticle(over) });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
      expect((await sut.call('get', '/api/articles')).body.articlesCount).toBe(0);
    });

    it('should answer 401 without a token', async () => {
      expect((await sut.call('post', '/api/articles', { body: newArticle() })).status).toBe(401);
    });

    it('should refuse null for a field that may only be left out, with 422', async () => {
      const res = await sut.call('post', '/api/articles', { token: jake.token, body: newArticle({ tagList: null }) });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['tagList']);
    });

    it('should keep an article with a long title reachable by its slug', async () => {
      const { slug } = await create(jake.token, { title: 'a very long title '.repeat(12) });
      expect(slug.length).toBeGreaterThan(150);
      expect((await sut.call('get', `/api/articles/${slug}`)).status).toBe(200);
      expect((await sut.call('delete', `/api/articles/${slug}`, { token: jake.token })).status).toBe(204);
    });
  });

  describe('GET /api/articles', () => {
    it('should list newest first without body, with an integer count', async () => {
      await create(jake.token, { title: 'First' });
      await create(anne.token, { title: 'Second', tagList: [] });
      const res = await sut.call('get', '/api/articles');
      expect(res.status).toBe(200);
      expect(res.body.articlesCount).toBe(2);
      expect(res.body.articles.map((a: { slug: string }) => a.slug)).toEqual(['second', 'first']);
      expect(res.body.articles[0]).not.toHaveProperty('body');
      expect(res.body.articles[0]).toEqual({
        slug: 'second',
        title: 'Second',
        description: 'Ever wonder how?',
        tagList: [],
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
        favorited: false,
        favoritesCount: 0,
        author: { username: 'anne', bio: null, image: null, following: false },
      });
    });

    it('should filter by tag, author and favorited, and page with limit/offset', async () => {
      await create(jake.token, { title: 'A', tagList: ['x'] });
      const b = await create(jake.token, { title: 'B', tagList: ['y'] });
      await create(anne.token, { title: 'C', tagList: ['x'] });
      await sut.call('post', `/api/articles/${b.slug}/favorite`, { token: anne.token });
      const slugs = async (query: string) =>
        (await sut.call('get', `/api/articles?${query}`)).body.articles.map((a: { slug: string }) => a.slug);
      expect(await slugs('tag=x')).toEqual(['c', 'a']);
      expect(await slugs('author=jake')).toEqual(['b', 'a']);
      expect(await slugs('favorited=anne')).toEqual(['b']);
      expect(await slugs('tag=x&author=anne')).toEqual(['c']);
      expect(await slugs('limit=1&offset=1')).toEqual(['b']);
      const page = await sut.call('get', '/api/articles?limit=1&offset=1');
      expect(page.body.articlesCount).toBe(3);
    });

    // articlesCount counts every match, not the page: past the end it is still the one article.
    it.each([
      ['tag=nope', 0],
      ['author=nobody', 0],
      ['favorited=nobody', 0],
      ['offset=100', 1],
    ])('should answer 200 and an empty page for %s (count %d)', async (query, count) => {
      await create(jake.token);
      const res = await sut.call('get', `/api/articles?${query}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ articles: [], articlesCount: count });
    });

    it.each(['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'limit=1.5'])(
      'should refuse %s with 422',
      async (query) => {
        const res = await sut.call('get', `/api/articles?${query}`);
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors)).toEqual([query.split('=')[0]]);
      },
    );

    it('should answer 401 for an invalid token even though auth is optional', async () => {
      expect((await sut.call('get', '/api/articles', { token: 'a.b.c' })).status).toBe(401);
    });
  });

  describe('GET /api/articles/feed', () => {
    it('should list only followed authors, and require auth', async () => {
      await create(jake.token, { title: 'By jake' });
      await create(anne.token, { title: 'By anne' });
      const reader = await sut.register('reader');
      await sut.call('post', '/api/profiles/anne/follow', { token: reader.token });
      const res = await sut.call('get', '/api/articles/feed', { token: reader.token });
      expect(res.status).toBe(200);
      expect(res.body.articlesCount).toBe(1);
      expect(res.body.articles[0]).toEqual(
        expect.objectContaining({ slug: 'by-anne', author: expect.objectContaining({ following: true }) }),
      );
      expect((await sut.call('get', '/api/articles/feed')).status).toBe(401);
    });
  });

  describe('GET /api/articles/:slug', () => {
    it('should return the article with body, and 404 for an unknown slug', async () => {
      const { slug } = await create(jake.token);
      const res = await sut.call('get', `/api/articles/${slug}`);
      expect(res.status).toBe(200);
      expect(res.body.article.body).toBe('You have to believe');
      const missing = await sut.call('get', '/api/articles/no-such-article');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ errors: { article: ['not found'] } });
    });
  });

  describe('PUT /api/articles/:slug', () => {
    it('should update fields, give a new title a new slug, and free the old slug', async () => {
      const { slug } = await create(jake.token);
      const res = await sut.call('put', `/api/articles/${slug}`, {
        token: jake.token,
        body: { article: { title: 'Dragons, revisited', body: 'New body' } },
      });
      expect(res.status).toBe(200);
      expect(res.body.article).toEqual(
        expect.objectContaining({ slug: 'dragons-revisited', title: 'Dragons, revisited', body: 'New body' }),
      );
      expect((await sut.call('get', `/api/articles/${slug}`)).status).toBe(404);
      expect((await sut.call('get', '/api/articles/dragons-revisited')).body.article.body).toBe('New body');
    });

    it('should keep slugs unique when two articles are renamed to one title at the same time', async () => {
      const first = await create(jake.token, { title: 'First' });
      const second = await create(jake.token, { title: 'Second' });
      const rename = (slug: string) =>
        sut.call('put', `/api/articles/${slug}`, { token: jake.token, body: { article: { title: 'Same title' } } });
      const results = await Promise.all([rename(first.slug), rename(second.slug)]);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      const slugs = results.map((r) => r.body.article.slug as string).sort();
      expect(slugs[0]).toBe('same-title');
      expect(slugs[1]).toMatch(/^same-title-[0-9a-f]{8}$/);
    });

    it('should answer 403 to someone else and change nothing', async () => {
      const { slug } = await create(jake.token);
      const res = await sut.call('put', `/api/articles/${slug}`, {
        token: anne.token,
        body: { article: { body: 'hijacked' } },
      });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: { article: ['can only be changed by its author'] } });
      expect((await sut.call('get', `/api/articles/${slug}`)).body.article.body).toBe('You have to believe');
    });

    it.each([['title'], ['body'], ['tagList']])(
      'should refuse a null %s with 422 and change nothing',
      async (field) => {
        const { slug } = await create(jake.token);
        const res = await sut.call('put', `/api/articles/${slug}`, {
          token: jake.token,
          body: { article: { [field]: null } },
        });
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors)).toEqual([field]);
        expect((await sut.call('get', `/api/articles/${slug}`)).body.article.title).toBe('How to train your dragon');
      },
    );

    it('should answer 404 for an unknown slug and 422 for an empty update', async () => {
      const { slug } = await create(jake.token);
      expect((await sut.call('put', '/api/articles/nope', { token: jake.token, body: newArticle() })).status).toBe(404);
      const empty = await sut.call('put', `/api/articles/${slug}`, { token: jake.token, body: { article: {} } });
      expect(empty.status).toBe(422);
    });
  });

  describe('DELETE /api/articles/:slug', () => {
    it('should delete with 204 for the author only', async () => {
      const { slug } = await create(jake.token);
      expect((await sut.call('delete', `/api/articles/${slug}`, { token: anne.token })).status).toBe(403);
      const res = await sut.call('delete', `/api/articles/${slug}`, { token: jake.token });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await sut.call('get', `/api/articles/${slug}`)).status).toBe(404);
      expect((await sut.call('get', '/api/tags')).body).toEqual({ tags: [] });
    });
  });

  describe('favorites', () => {
    it('should favorite and unfavorite with counts, idempotently', async () => {
      const { slug } = await create(jake.token);
      const fav = await sut.call('post', `/api/articles/${slug}/favorite`, { token: anne.token });
      expect(fav.status).toBe(200);
      expect(fav.body.article).toEqual(expect.objectContaining({ favorited: true, favoritesCount: 1 }));
      const again = await sut.call('post', `/api/articles/${slug}/favorite`, { token: anne.token });
      expect(again.body.article.favoritesCount).toBe(1);
      const unfav = await sut.call('delete', `/api/articles/${slug}/favorite`, { token: anne.token });
      expect(unfav.status).toBe(200);
      expect(unfav.body.article).toEqual(expect.objectContaining({ favorited: false, favoritesCount: 0 }));
      const twice = await sut.call('delete', `/api/articles/${slug}/favorite`, { token: anne.token });
      expect(twice.body.article.favoritesCount).toBe(0);
    });

    it('should answer 404 for an unknown article and 401 without a token', async () => {
      expect((await sut.call('post', '/api/articles/nope/favorite', { token: anne.token })).status).toBe(404);
      const { slug } = await create(jake.token);
      expect((await sut.call('post', `/api/articles/${slug}/favorite`)).status).toBe(401);
    });
  });

  describe('GET /api/tags', () => {
    it('should list tags in use, alphabetically', async () => {
      await create(jake.token, { tagList: ['zebra', 'apple'] });
      await create(anne.token, { title: 'Other', tagList: ['mango', 'apple'] });
      const res = await sut.call('get', '/api/tags');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ tags: ['apple', 'mango', 'zebra'] });
    });
  });
});
