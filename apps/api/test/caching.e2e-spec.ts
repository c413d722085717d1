import { ResponseCache } from '@app/caching';
import { setTimeout as delay } from 'node:timers/promises';
import { TestApp } from './support/test-app';

type User = { token: string; username: string };

/** Caching seen from outside: no view leaks between viewers, every write is visible at once, ETags. */
describe('Caching', () => {
  let sut: TestApp;
  let other: TestApp;
  let author: User;
  let fan: User;
  let stranger: User;
  let slug: string;

  beforeAll(async () => {
    sut = await TestApp.start();
    other = await TestApp.start();
  });
  beforeEach(async () => {
    await sut.truncate();
    await other.resetCache();
    author = await sut.register('author');
    fan = await sut.register('fan');
    stranger = await sut.register('stranger');
    const res = await sut.call('post', '/api/articles', {
      token: author.token,
      body: { article: { title: 'Cached', description: 'd', body: 'b', tagList: ['cache'] } },
    });
    slug = res.body.article.slug;
  });
  afterAll(async () => {
    await sut.close();
    await other.close();
  });

  const get = (url: string, viewer?: User, app = sut) => app.call('get', url, { token: viewer?.token });
  /** Reads twice: the second read is answered by the in-process response cache; both must agree. */
  const getTwice = async (url: string, viewer?: User) => {
    const first = await get(url, viewer);
    const second = await get(url, viewer);
    expect(second.text).toBe(first.text);
    return second;
  };

  describe('no leak between viewers', () => {
    it('should never show one user’s favorited/following to anonymous readers or other users', async () => {
      // Warm every cache first, as anonymous and as the stranger.
      for (const viewer of [undefined, stranger]) {
        await getTwice('/api/articles', viewer);
        await getTwice(`/api/articles/${slug}`, viewer);
        await getTwice('/api/profiles/author', viewer);
      }
      await sut.call('post', `/api/articles/${slug}/favorite`, { token: fan.token });
      await sut.call('post', '/api/profiles/author/follow', { token: fan.token });

      const mine = await getTwice('/api/articles', fan);
      expect(mine.body.articles[0]).toEqual(
        expect.objectContaining({ favorited: true, author: expect.objectContaining({ following: true }) }),
      );
      expect((await getTwice('/api/articles/feed', fan)).body.articles[0].favorited).toBe(true);

      for (const viewer of [undefined, stranger]) {
        const list = await getTwice('/api/articles', viewer);
        expect(list.body.articles[0]).toEqual(
          expect.objectContaining({
            favorited: false,
            favoritesCount: 1,
            author: expect.objectContaining({ following: false }),
          }),
        );
        const single = await getTwice(`/api/articles/${slug}`, viewer);
        expect(single.body.article.favorited).toBe(false);
        expect(single.body.article.author.following).toBe(false);
        expect((await getTwice('/api/profiles/author', viewer)).body.profile.following).toBe(false);
        expect((await getTwice(`/api/articles?favorited=fan`, viewer)).body.articles[0].favorited).toBe(false);
      }
      expect((await getTwice('/api/articles/feed', stranger)).body).toEqual({ articles: [], articlesCount: 0 });
    });
  });

  describe('read-your-writes', () => {
    const warm = async () => {
      await get('/api/articles');
      await get(`/api/articles/${slug}`);
      await get(`/api/articles/${slug}/comments`);
      await get('/api/tags');
      await get('/api/profiles/author');
    };

    it('should show a created article in lists and tags at once', async () => {
      await warm();
      await sut.call('post', '/api/articles', {
        token: author.token,
        body: { article: { title: 'Fresh', description: 'd', body: 'b', tagList: ['new'] } },
      });
      expect((await get('/api/articles')).body.articlesCount).toBe(2);
      expect((await get('/api/tags')).body.tags).toEqual(['cache', 'new']);
    });

    it('should show a created article on the pages it joins at once, and leave the others answered whole', async () => {
      // The author renames first: their token still carries the old name, the pages use the new one.
      await sut.call('put', '/api/user', { token: author.token, body: { user: { username: 'renamed' } } });
      const joins = ['/api/articles?author=renamed', '/api/articles?tag=new', '/api/articles?limit=5'];
      const unaffected = ['/api/articles?tag=cache', '/api/articles?author=fan'];
      for (const url of [...joins, ...unaffected]) await getTwice(url);
      const before = await Promise.all(joins.map(async (url) => (await get(url)).body.articlesCount));

      await sut.call('post', '/api/articles', {
        token: author.token,
        body: { article: { title: 'Joins', description: 'd', body: 'b', tagList: ['new'] } },
      });

      const after = await Promise.all(joins.map(async (url) => (await get(url)).body.articlesCount));
      expect(after).toEqual(before.map((count) => count + 1));
      const hits = sut.app.get(ResponseCache).status().hits;
      for (const url of unaffected) await get(url);
      expect(sut.app.get(ResponseCache).status().hits).toBe(hits + unaffected.length);
    });

    it('should show an update on the article and in lists at once', async () => {
      await warm();
      await sut.call('put', `/api/articles/${slug}`, { token: author.token, body: { article: { body: 'edited' } } });
      expect((await get(`/api/articles/${slug}`)).body.article.body).toBe('edited');
      const renamed = await sut.call('put', `/api/articles/${slug}`, {
        token: author.token,
        body: { article: { title: 'Renamed' } },
      });
      expect((await get('/api/articles')).body.articles[0].slug).toBe(renamed.body.article.slug);
      expect((await get(`/api/articles/${slug}`)).status).toBe(404);
      expect((await get(`/api/articles/${slug}/comments`)).status).toBe(404);
    });

    it('should forget a deleted article everywhere at once', async () => {
      await warm();
      await sut.call('delete', `/api/articles/${slug}`, { token: author.token });
      expect((await get(`/api/articles/${slug}`)).status).toBe(404);
      expect((await get('/api/articles')).body.articlesCount).toBe(0);
      expect((await get('/api/tags')).body.tags).toEqual([]);
    });

    it('should show favorite counts and flags at once', async () => {
      await warm();
      await get('/api/articles', fan);
      await sut.call('post', `/api/articles/${slug}/favorite`, { token: fan.token });
      expect((await get('/api/articles')).body.articles[0].favoritesCount).toBe(1);
      expect((await get(`/api/articles/${slug}`, fan)).body.article.favorited).toBe(true);
      expect((await get('/api/articles?favorited=fan')).body.articlesCount).toBe(1);
      await sut.call('delete', `/api/articles/${slug}/favorite`, { token: fan.token });
      expect((await get(`/api/articles/${slug}`)).body.article.favoritesCount).toBe(0);
      expect((await get('/api/articles', fan)).body.articles[0].favorited).toBe(false);
      expect((await get('/api/articles?favorited=fan')).body.articlesCount).toBe(0);
    });

    it('should show added and deleted comments at once', async () => {
      await warm();
      const added = await sut.call('post', `/api/articles/${slug}/comments`, {
        token: fan.token,
        body: { comment: { body: 'hi' } },
      });
      expect((await get(`/api/articles/${slug}/comments`)).body.comments).toHaveLength(1);
      await sut.call('delete', `/api/articles/${slug}/comments/${added.body.comment.id}`, { token: fan.token });
      expect((await get(`/api/articles/${slug}/comments`)).body.comments).toEqual([]);
    });

    it('should show follow and unfollow at once on profiles, articles and comments', async () => {
      await sut.call('post', `/api/articles/${slug}/comments`, {
        token: author.token,
        body: { comment: { body: 'c' } },
      });
      await get('/api/profiles/author', fan);
      await get(`/api/articles/${slug}/comments`, fan);
      await sut.call('post', '/api/profiles/author/follow', { token: fan.token });
      expect((await get('/api/profiles/author', fan)).body.profile.following).toBe(true);
      expect((await get(`/api/articles/${slug}`, fan)).body.article.author.following).toBe(true);
      expect((await get(`/api/articles/${slug}/comments`, fan)).body.comments[0].author.following).toBe(true);
      await sut.call('delete', '/api/profiles/author/follow', { token: fan.token });
      expect((await get('/api/articles', fan)).body.articles[0].author.following).toBe(false);
    });

    it('should show an author’s new username, bio and image inside articles and comments at once', async () => {
      await sut.call('post', `/api/articles/${slug}/comments`, {
        token: author.token,
        body: { comment: { body: 'c' } },
      });
      await warm();
      await sut.call('put', '/api/user', {
        token: author.token,
        body: { user: { username: 'renamed', bio: 'new bio', image: 'https://example.com/a.png' } },
      });
      const expected = { username: 'renamed', bio: 'new bio', image: 'https://example.com/a.png', following: false };
      expect((await get(`/api/articles/${slug}`)).body.article.author).toEqual(expected);
      expect((await get('/api/articles')).body.articles[0].author).toEqual(expected);
      expect((await get(`/api/articles/${slug}/comments`)).body.comments[0].author).toEqual(expected);
      expect((await get('/api/profiles/renamed')).body.profile).toEqual(expected);
      expect((await get('/api/profiles/author')).status).toBe(404);
    });
  });

  describe('two instances sharing Redis and PostgreSQL', () => {
    it('should show a write made on one instance on the other within 100 ms', async () => {
      await get(`/api/articles/${slug}`, undefined, other);
      await get('/api/articles', undefined, other);
      await sut.call('put', `/api/articles/${slug}`, { token: author.token, body: { article: { body: 'v2' } } });
      const started = performance.now();
      let seen = false;
      while (!seen && performance.now() - started < 100) {
        seen = (await get(`/api/articles/${slug}`, undefined, other)).body.article.body === 'v2';
        if (!seen) await delay(5);
      }
      expect(seen).toBe(true);
      expect((await get('/api/articles', undefined, other)).body.articles[0].updatedAt).toBe(
        (await get(`/api/articles/${slug}`)).body.article.updatedAt,
      );
    });
  });

  describe('HTTP caching', () => {
    it('should answer If-None-Match with 304, and change the ETag after a write', async () => {
      const first = await get(`/api/articles/${slug}`);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(first.headers['cache-control']).toContain('public');
      const again = await sut.call('get', `/api/articles/${slug}`, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      await sut.call('put', `/api/articles/${slug}`, { token: author.token, body: { article: { body: 'changed' } } });
      const changed = await sut.call('get', `/api/articles/${slug}`, { headers: { 'If-None-Match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    });

    it('should never let a shared cache keep a personalised response', async () => {
      const res = await get('/api/articles', fan);
      expect(res.headers['cache-control']).toMatch(/private/);
      expect(res.headers['cache-control']).not.toMatch(/public/);
      expect(res.headers.vary).toMatch(/Authorization/i);
    });
  });
});
