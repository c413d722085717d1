import {
  articleKey,
  articleListIdentity,
  articleListKey,
  ARTICLES_NAMESPACE,
  CacheService,
  commentsKey,
  tagsKey,
  type PersonalizedBody,
} from '@app/caching';
import { DatabaseService, type SqlExecutor } from '@app/database';
import type { AuthUser } from '@app/users';
import type { EntityManager } from 'typeorm';
import { httpError } from '../../../../test-support/http-error';
import { strictMock } from '../../../../test-support/strict-mock';
import type { NewArticleDto } from '../dto/article-request.dto';
import { ViewerOverlayService, type ViewerSets } from '../viewer-overlay.service';
import type { ArticleRow } from './article.mapper';
import { ArticleRepository, type ArticleRef } from './article.repository';
import { ArticleService } from './article.service';

const jake: AuthUser = { id: 1, username: 'jake', token: 'jake-token' };
const anna: AuthUser = { id: 2, username: 'anna', token: 'anna-token' };
const NO_SETS: ViewerSets = { favorites: [], followees: [] };
const SUFFIXED = /^how-to-train-your-dragon-[0-9a-f]{8}$/;

function articleRow(overrides: Partial<ArticleRow> = {}): ArticleRow {
  return {
    id: 10,
    slug: 'how-to-train-your-dragon',
    title: 'How to train your dragon',
    description: 'Ever wonder how?',
    body: 'You have to believe',
    tagList: ['dragons'],
    createdAt: new Date('2026-02-18T03:22:56.637Z'),
    updatedAt: new Date('2026-02-18T03:48:35.824Z'),
    favoritesCount: 3,
    author: { id: jake.id, username: 'jake', bio: null, image: null },
    ...overrides,
  };
}

const jakesArticle: ArticleRef = { id: 10, slug: 'how-to-train-your-dragon', authorId: jake.id };
const newArticle: NewArticleDto = {
  title: 'How to train your dragon',
  description: 'Ever wonder how?',
  body: 'You have to believe',
};

function parsed<T>(body: PersonalizedBody<T>): T {
  return JSON.parse(body.json) as T;
}

describe(ArticleService.name, () => {
  let sut: ArticleService;
  let articles: jest.Mocked<ArticleRepository>;
  let db: jest.Mocked<DatabaseService>;
  let cache: jest.Mocked<CacheService>;
  let overlay: jest.Mocked<ViewerOverlayService>;
  // Stand-ins for the transaction's executors: only their identity matters (they are passed through).
  const sql = { query: jest.fn() } as SqlExecutor;
  const tx = { transaction: 'tx' } as unknown as EntityManager;

  beforeEach(() => {
    articles = strictMock(ArticleRepository);
    db = strictMock(DatabaseService);
    cache = strictMock(CacheService);
    overlay = strictMock(ViewerOverlayService);
    sut = new ArticleService(articles, db, cache, overlay);
    cache.fetch.mockImplementation(async (_key, load) => ({ value: await load() }));
    db.transaction.mockImplementation((work) => work(sql, tx));
  });

  /** What a write must have made stale, in the order it does not matter. */
  function expectInvalidated(...keys: string[]): void {
    expect(cache.invalidate.mock.calls.flat().sort()).toEqual([...keys].sort());
  }

  describe('list', () => {
    beforeEach(() => {
      cache.namespaceVersion.mockResolvedValue(7);
      articles.findPage.mockResolvedValue({ count: 1, rows: [articleRow()] });
    });

    it('should cache the page under the current version of the articles namespace', async () => {
      await sut.list({ tag: 'dragons', limit: 20, offset: 0 }, null);

      expect(cache.namespaceVersion).toHaveBeenCalledWith(ARTICLES_NAMESPACE);
      expect(cache.fetch).toHaveBeenCalledWith(
        articleListKey(7, { tag: 'dragons', limit: 20, offset: 0 }),
        expect.any(Function),
        { staleAs: articleListIdentity({ tag: 'dragons', limit: 20, offset: 0 }) },
      );
      expect(articles.findPage).toHaveBeenCalledWith(
        { tag: 'dragons', author: undefined, favorited: undefined },
        20,
        0,
      );
    });

    it('should answer an anonymous reader with every per-viewer boolean false and no body', async () => {
      const page = parsed(await sut.list({ limit: 20, offset: 0 }, null));

      expect(page).toEqual({
        articles: [
          {
            slug: 'how-to-train-your-dragon',
            title: 'How to train your dragon',
            description: 'Ever wonder how?',
            tagList: ['dragons'],
            createdAt: '2026-02-18T03:22:56.637Z',
            updatedAt: '2026-02-18T03:48:35.824Z',
            favorited: false,
            favoritesCount: 3,
            author: { username: 'jake', bio: null, image: null, following: false },
          },
        ],
        articlesCount: 1,
      });
    });

    it("should take favorited and following from the viewer's own sets", async () => {
      overlay.setsOf.mockResolvedValue({ favorites: [10], followees: [jake.id] });

      const page = parsed(await sut.list({ limit: 20, offset: 0 }, anna));

      expect(overlay.setsOf).toHaveBeenCalledWith(anna);
      expect(page.articles[0]).toMatchObject({ favorited: true, author: { following: true } });
    });

    it('should answer false for articles and authors outside those sets', async () => {
      overlay.setsOf.mockResolvedValue({ favorites: [11], followees: [99] });

      const page = parsed(await sut.list({ limit: 20, offset: 0 }, anna));

      expect(page.articles[0]).toMatchObject({ favorited: false, author: { following: false } });
    });
  });

  describe('feed', () => {
    it("should list the followed authors' articles with the viewer's booleans, uncached", async () => {
      articles.findPage.mockResolvedValue({ count: 4, rows: [articleRow()] });
      overlay.setsOf.mockResolvedValue({ favorites: [10], followees: [jake.id] });

      const feed = await sut.feed({ limit: 5, offset: 5 }, anna);

      expect(articles.findPage).toHaveBeenCalledWith({ followedBy: anna.id }, 5, 5);
      expect(feed.articlesCount).toBe(4);
      expect(feed.articles[0]).toMatchObject({ favorited: true, author: { following: true } });
      expect(feed.articles[0]).not.toHaveProperty('body');
    });
  });

  describe('get', () => {
    it('should answer 404 with the article envelope for an unknown slug', async () => {
      articles.findBySlugWithAuthor.mockResolvedValue(null);

      await expect(sut.get('nope', null)).rejects.toEqual(httpError(404, { errors: { article: ['not found'] } }));
    });

    it('should load the article under its key and render it for the viewer', async () => {
      articles.findBySlugWithAuthor.mockResolvedValue(articleRow());
      overlay.setsOf.mockResolvedValue({ favorites: [10], followees: [] });

      const { article } = parsed(await sut.get('how-to-train-your-dragon', anna));

      expect(cache.fetch).toHaveBeenCalledWith(articleKey('how-to-train-your-dragon'), expect.any(Function));
      expect(article).toMatchObject({ body: 'You have to believe', favorited: true, author: { following: false } });
    });
  });

  describe('create', () => {
    beforeEach(() => {
      articles.insert.mockResolvedValue(10);
      articles.replaceTags.mockResolvedValue();
      articles.findByIdWithAuthor.mockResolvedValue(articleRow());
      cache.bumpNamespace.mockResolvedValue();
      cache.invalidate.mockResolvedValue();
      overlay.setsOf.mockResolvedValue(NO_SETS);
    });

    it('should slug the title and store trimmed, unique, sorted tags in one transaction', async () => {
      await sut.create(jake, { ...newArticle, tagList: [' training ', 'dragons', 'training', '  '] });

      expect(articles.insert).toHaveBeenCalledWith(
        tx,
        jake.id,
        'how-to-train-your-dragon',
        expect.objectContaining(newArticle),
      );
      expect(articles.replaceTags).toHaveBeenCalledWith(tx, 10, ['dragons', 'training']);
      expect(articles.findByIdWithAuthor).toHaveBeenCalledWith(sql, 10);
    });

    it('should retry a taken slug with a suffixed one', async () => {
      articles.insert.mockResolvedValueOnce(null).mockResolvedValueOnce(null).mockResolvedValueOnce(10);

      await sut.create(jake, newArticle);

      const slugs = articles.insert.mock.calls.map(([, , slug]) => slug);
      expect(slugs).toEqual([
        'how-to-train-your-dragon',
        expect.stringMatching(SUFFIXED),
        expect.stringMatching(SUFFIXED),
      ]);
      expect(slugs[1]).not.toBe(slugs[2]);
    });

    it('should give up after five taken slugs', async () => {
      articles.insert.mockResolvedValue(null);

      await expect(sut.create(jake, newArticle)).rejects.toThrow('no free slug for "how-to-train-your-dragon"');
      expect(articles.insert).toHaveBeenCalledTimes(5);
      expect(cache.bumpNamespace).not.toHaveBeenCalled();
    });

    it('should bump the list namespace and forget the tags when the article has tags', async () => {
      await sut.create(jake, { ...newArticle, tagList: ['dragons'] });

      expect(cache.bumpNamespace).toHaveBeenCalledWith(ARTICLES_NAMESPACE);
      expectInvalidated(tagsKey());
    });

    it('should leave the tags cached when the article has none', async () => {
      await sut.create(jake, newArticle);

      expect(cache.bumpNamespace).toHaveBeenCalledWith(ARTICLES_NAMESPACE);
      expect(articles.replaceTags).toHaveBeenCalledWith(tx, 10, []);
      expect(cache.invalidate).not.toHaveBeenCalled();
    });

    it("should answer the new article with the author's booleans", async () => {
      overlay.setsOf.mockResolvedValue({ favorites: [10], followees: [] });

      const { article } = await sut.create(jake, newArticle);

      expect(article).toMatchObject({ slug: 'how-to-train-your-dragon', favorited: true, favoritesCount: 3 });
      expect(article.author).toEqual({ username: 'jake', bio: null, image: null, following: false });
    });
  });

  describe('update', () => {
    beforeEach(() => {
      articles.findRefBySlug.mockResolvedValue(jakesArticle);
      articles.lockForEdit.mockResolvedValue(true);
      articles.update.mockResolvedValue(true);
      articles.findByIdWithAuthor.mockResolvedValue(articleRow());
      cache.bumpNamespace.mockResolvedValue();
      cache.invalidate.mockResolvedValue();
      overlay.setsOf.mockResolvedValue(NO_SETS);
    });

    it('should answer 404 for an unknown slug', async () => {
      articles.findRefBySlug.mockResolvedValue(null);

      await expect(sut.update(jake, 'nope', { body: 'x' })).rejects.toEqual(
        httpError(404, { errors: { article: ['not found'] } }),
      );
    });

    it('should answer 404, changing nothing, when the article is deleted before the edit locks it', async () => {
      articles.lockForEdit.mockResolvedValue(false);

      await expect(sut.update(jake, jakesArticle.slug, { title: 'x' })).rejects.toEqual(
        httpError(404, { errors: { article: ['not found'] } }),
      );
      expect(articles.lockForEdit).toHaveBeenCalledWith(tx, 10);
      expect(articles.update).not.toHaveBeenCalled();
    });

    it("should answer 403 for someone else's article, changing nothing", async () => {
      await expect(sut.update(anna, jakesArticle.slug, { body: 'x' })).rejects.toEqual(
        httpError(403, { errors: { article: ['can only be changed by its author'] } }),
      );
      expect(db.transaction).not.toHaveBeenCalled();
    });

    it('should keep the slug when the title is not changed', async () => {
      await sut.update(jake, jakesArticle.slug, { body: 'New body' });

      expect(articles.update).toHaveBeenCalledWith(tx, 10, 'how-to-train-your-dragon', { body: 'New body' });
    });

    it('should keep a suffixed slug when the same title is sent again', async () => {
      const suffixed = { ...jakesArticle, slug: 'how-to-train-your-dragon-3f9a1c2e' };
      articles.findRefBySlug.mockResolvedValue(suffixed);

      await sut.update(jake, suffixed.slug, { title: 'How to Train Your Dragon!' });

      expect(articles.update).toHaveBeenCalledWith(tx, 10, suffixed.slug, { title: 'How to Train Your Dragon!' });
    });

    it('should slug a new title, and suffix it when taken', async () => {
      articles.update.mockResolvedValueOnce(false).mockResolvedValueOnce(true);

      await sut.update(jake, jakesArticle.slug, { title: 'Dragons, tamed' });

      const slugs = articles.update.mock.calls.map(([, , slug]) => slug);
      expect(slugs).toEqual(['dragons-tamed', expect.stringMatching(/^dragons-tamed-[0-9a-f]{8}$/)]);
    });

    it('should replace the tags only when a tag list is sent, normalised', async () => {
      articles.replaceTags.mockResolvedValue();

      await sut.update(jake, jakesArticle.slug, { tagList: ['b', ' a', 'b'] });

      expect(articles.replaceTags).toHaveBeenCalledWith(tx, 10, ['a', 'b']);
    });

    it('should forget the article, its comments and every list page, but not the tags when untouched', async () => {
      await sut.update(jake, jakesArticle.slug, { body: 'New body' });

      expectInvalidated(articleKey(jakesArticle.slug), commentsKey(jakesArticle.slug));
      expect(cache.bumpNamespace).toHaveBeenCalledWith(ARTICLES_NAMESPACE);
    });

    it('should forget the tags too when the tag list changes', async () => {
      articles.replaceTags.mockResolvedValue();

      await sut.update(jake, jakesArticle.slug, { tagList: [] });

      expectInvalidated(articleKey(jakesArticle.slug), commentsKey(jakesArticle.slug), tagsKey());
    });
  });

  describe('delete', () => {
    beforeEach(() => {
      articles.findRefBySlug.mockResolvedValue(jakesArticle);
    });

    it('should answer 404 for an unknown slug', async () => {
      articles.findRefBySlug.mockResolvedValue(null);

      await expect(sut.delete(jake, 'nope')).rejects.toEqual(httpError(404, { errors: { article: ['not found'] } }));
    });

    it("should answer 403 for someone else's article, deleting nothing", async () => {
      await expect(sut.delete(anna, jakesArticle.slug)).rejects.toEqual(
        httpError(403, { errors: { article: ['can only be changed by its author'] } }),
      );
      expect(articles.delete).not.toHaveBeenCalled();
    });

    it('should delete it and forget the article, its comments, the tags and every list page', async () => {
      articles.delete.mockResolvedValue();
      cache.invalidate.mockResolvedValue();
      cache.bumpNamespace.mockResolvedValue();

      await sut.delete(jake, jakesArticle.slug);

      expect(articles.delete).toHaveBeenCalledWith(10);
      expectInvalidated(articleKey(jakesArticle.slug), commentsKey(jakesArticle.slug), tagsKey());
      expect(cache.bumpNamespace).toHaveBeenCalledWith(ARTICLES_NAMESPACE);
    });
  });

  describe('favorite', () => {
    beforeEach(() => {
      articles.findRefBySlug.mockResolvedValue(jakesArticle);
      articles.findById.mockResolvedValue(articleRow());
      overlay.forgetFavorites.mockResolvedValue();
      cache.invalidate.mockResolvedValue();
      cache.bumpNamespace.mockResolvedValue();
    });

    it('should answer 404 for an unknown slug', async () => {
      articles.findRefBySlug.mockResolvedValue(null);

      await expect(sut.favorite(anna, 'nope', true)).rejects.toEqual(
        httpError(404, { errors: { article: ['not found'] } }),
      );
    });

    it('should answer 404 when the article is deleted before the favorite is stored', async () => {
      articles.favorite.mockResolvedValue(false);

      await expect(sut.favorite(anna, jakesArticle.slug, true)).rejects.toEqual(
        httpError(404, { errors: { article: ['not found'] } }),
      );
      expect(articles.findById).not.toHaveBeenCalled();
    });

    it('should answer 404 when the article is deleted before it is read back', async () => {
      articles.unfavorite.mockResolvedValue();
      articles.findById.mockResolvedValue(null);

      await expect(sut.favorite(anna, jakesArticle.slug, false)).rejects.toEqual(
        httpError(404, { errors: { article: ['not found'] } }),
      );
    });

    it("should add the favorite, then forget the viewer's favorites, the article and every list page", async () => {
      articles.favorite.mockResolvedValue(true);
      overlay.setsOf.mockResolvedValue({ favorites: [10], followees: [] });

      const { article } = await sut.favorite(anna, jakesArticle.slug, true);

      expect(articles.favorite).toHaveBeenCalledWith(anna.id, 10);
      expect(articles.unfavorite).not.toHaveBeenCalled();
      expect(overlay.forgetFavorites).toHaveBeenCalledWith(anna.id);
      expectInvalidated(articleKey(jakesArticle.slug), commentsKey(jakesArticle.slug));
      expect(cache.bumpNamespace).toHaveBeenCalledWith(ARTICLES_NAMESPACE);
      expect(articles.findById).toHaveBeenCalledWith(db, 10);
      expect(article.favorited).toBe(true);
    });

    it("should remove the favorite, then forget the viewer's favorites, the article and every list page", async () => {
      articles.unfavorite.mockResolvedValue();
      overlay.setsOf.mockResolvedValue(NO_SETS);

      const { article } = await sut.favorite(anna, jakesArticle.slug, false);

      expect(articles.unfavorite).toHaveBeenCalledWith(anna.id, 10);
      expect(articles.favorite).not.toHaveBeenCalled();
      expect(overlay.forgetFavorites).toHaveBeenCalledWith(anna.id);
      expectInvalidated(articleKey(jakesArticle.slug), commentsKey(jakesArticle.slug));
      expect(cache.bumpNamespace).toHaveBeenCalledWith(ARTICLES_NAMESPACE);
      expect(article.favorited).toBe(false);
    });

    it("should invalidate after storing the favorite, and read the viewer's favorites only once forgotten", async () => {
      const order: string[] = [];
      const record = (step: string) => () => {
        order.push(step);
        return Promise.resolve();
      };
      articles.favorite.mockImplementation(() => {
        order.push('favorite');
        return Promise.resolve(true);
      });
      overlay.forgetFavorites.mockImplementation(record('forgetFavorites'));
      cache.invalidate.mockImplementation(record('invalidate'));
      overlay.setsOf.mockImplementation(() => {
        order.push('setsOf');
        return Promise.resolve(NO_SETS);
      });

      await sut.favorite(anna, jakesArticle.slug, true);

      // A stale favorites set read before the invalidation would answer `favorited: false`.
      expect(order).toEqual(['favorite', expect.any(String), expect.any(String), 'setsOf']);
      expect(order.slice(1, 3).sort()).toEqual(['forgetFavorites', 'invalidate']);
    });
  });
});
