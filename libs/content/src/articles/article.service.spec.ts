import { CacheService, type PersonalizedBody } from '@app/caching';
import { DatabaseService, type SqlExecutor } from '@app/database';
import { TokenService, type AuthUser } from '@app/users';
import { UnauthorizedException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { httpError } from '../../../../test-support/http-error';
import { strictMock } from '../../../../test-support/strict-mock';
import { articleKey, depends } from '../cache-keys';
import type { NewArticleDto } from '../dto/article-request.dto';
import { ViewerOverlayService, type ViewerSets } from '../viewer-overlay.service';
import type { ArticleRow } from './article.mapper';
import { ArticleRepository, type ArticleRef } from './article.repository';
import { ArticleListService } from './article-list.service';
import { ArticleService } from './article.service';
import { FavoriteRepository } from './favorite.repository';

const USER_GONE = 'user no longer exists';
const userGone = () => new UnauthorizedException({ errors: { authorization: [USER_GONE] } });
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

/** A mock implementation that notes `name` in `order` when called, then resolves with `value`. */
function noting<T>(order: string[], name: string, value: T): () => Promise<T> {
  return () => {
    order.push(name);
    return Promise.resolve(value);
  };
}

function parsed<T>(body: PersonalizedBody<T>): T {
  return JSON.parse(body.json) as T;
}

describe(ArticleService.name, () => {
  let sut: ArticleService;
  let articles: jest.Mocked<ArticleRepository>;
  let db: jest.Mocked<DatabaseService>;
  let cache: jest.Mocked<CacheService>;
  let overlay: jest.Mocked<ViewerOverlayService>;
  let favorites: jest.Mocked<FavoriteRepository>;
  let tokens: jest.Mocked<TokenService>;
  let lists: jest.Mocked<ArticleListService>;
  // Stand-ins for the transaction's executors: only their identity matters (they are passed through).
  const sql = { query: jest.fn() } as SqlExecutor;
  const tx = { transaction: 'tx' } as unknown as EntityManager;

  beforeEach(() => {
    articles = strictMock(ArticleRepository);
    db = strictMock(DatabaseService);
    cache = strictMock(CacheService);
    overlay = strictMock(ViewerOverlayService);
    favorites = strictMock(FavoriteRepository);
    tokens = strictMock(TokenService);
    lists = strictMock(ArticleListService);
    sut = new ArticleService(articles, db, cache, overlay, favorites, tokens, lists);
    cache.fetch.mockImplementation(async (_key, load) => ({ value: await load() }));
    db.transaction.mockImplementation((work) => work(sql, tx));
  });

  /**
   * A write bumps, in one call, exactly the versions of what it changed: no fewer (a stale read), no
   * more (pages recomputed for nothing). Order and repeats carry no meaning.
   */
  function expectBumped(...names: string[]): void {
    expect(cache.bump).toHaveBeenCalledTimes(1);
    expect([...new Set(cache.bump.mock.calls[0])].sort()).toEqual([...new Set(names)].sort());
  }

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
      expect(articles.findBySlugWithAuthor).toHaveBeenCalledWith('how-to-train-your-dragon');
      expect(overlay.setsOf).toHaveBeenCalledWith(anna);
      expect(article).toMatchObject({ body: 'You have to believe', favorited: true, author: { following: false } });
    });

    it('should answer an anonymous reader with every boolean false, reading no viewer set', async () => {
      articles.findBySlugWithAuthor.mockResolvedValue(articleRow());

      const { article } = parsed(await sut.get('how-to-train-your-dragon', null));

      expect(article).toMatchObject({ favorited: false, author: { following: false } });
    });

    it('should keep the per-viewer booleans as slots and the versions it was built under', async () => {
      const stamp = { names: articleKey('how-to-train-your-dragon').deps, versions: [1, 4] };
      cache.fetch.mockImplementation(async (_key, load) => ({ value: await load(), stamp }));
      articles.findBySlugWithAuthor.mockResolvedValue(articleRow());

      const body = await sut.get('how-to-train-your-dragon', null);

      expect(body.template.slots).toEqual([
        { set: 'favorites', id: 10 },
        { set: 'followees', id: jake.id },
      ]);
      expect(body.stamp).toBe(stamp);
    });
  });

  describe('create', () => {
    beforeEach(() => {
      articles.insert.mockResolvedValue(articleRow());
      cache.bump.mockResolvedValue();
      overlay.setsOf.mockResolvedValue(NO_SETS);
    });

    it('should slug the title and store trimmed, unique, sorted tags in its one statement', async () => {
      await sut.create(jake, { ...newArticle, tagList: [' training ', 'dragons', 'training', '  '] });

      expect(articles.insert).toHaveBeenCalledWith(
        jake.id,
        'how-to-train-your-dragon',
        expect.objectContaining(newArticle),
        ['dragons', 'training'],
      );
    });

    it('should retry a taken slug with a suffixed one', async () => {
      articles.insert
        .mockResolvedValueOnce('slug-taken')
        .mockResolvedValueOnce('slug-taken')
        .mockResolvedValueOnce(articleRow());

      await sut.create(jake, newArticle);

      const slugs = articles.insert.mock.calls.map(([, slug]) => slug);
      expect(slugs).toEqual([
        'how-to-train-your-dragon',
        expect.stringMatching(SUFFIXED),
        expect.stringMatching(SUFFIXED),
      ]);
      expect(slugs[1]).not.toBe(slugs[2]);
    });

    it('should give up after five taken slugs, bumping nothing', async () => {
      articles.insert.mockResolvedValue('slug-taken');

      await expect(sut.create(jake, newArticle)).rejects.toThrow('no free slug for "how-to-train-your-dragon"');
      expect(articles.insert).toHaveBeenCalledTimes(5);
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it('should answer 401 "user no longer exists" when the statement finds the author gone, bumping nothing', async () => {
      articles.insert.mockResolvedValue('viewer-gone');
      tokens.viewerGone.mockReturnValue(userGone());

      await expect(sut.create(jake, newArticle)).rejects.toEqual(
        httpError(401, { errors: { authorization: [USER_GONE] } }),
      );
      expect(tokens.viewerGone).toHaveBeenCalledWith(jake.id);
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it('should bump the pages it can join (unfiltered, its author, its tags) and the tags', async () => {
      await sut.create(jake, { ...newArticle, tagList: ['dragons'] });

      expectBumped(depends.unfilteredLists, depends.authorLists('jake'), depends.taggedLists('dragons'), depends.tags);
    });

    it('should leave the tags cached when the article has none', async () => {
      await sut.create(jake, newArticle);

      expect(articles.insert).toHaveBeenCalledWith(jake.id, 'how-to-train-your-dragon', expect.anything(), []);
      expectBumped(depends.unfilteredLists, depends.authorLists('jake'));
    });

    it('should bump only after the article is stored', async () => {
      const order: string[] = [];
      articles.insert.mockImplementation(noting(order, 'insert', articleRow()));
      cache.bump.mockImplementation(noting(order, 'bump', undefined));

      await sut.create(jake, newArticle);

      expect(order).toEqual(['insert', 'bump']);
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
      cache.bump.mockResolvedValue();
      overlay.setsOf.mockResolvedValue(NO_SETS);
    });

    it('should answer 404 for an unknown slug', async () => {
      articles.findRefBySlug.mockResolvedValue(null);

      await expect(sut.update(jake, 'nope', { body: 'x' })).rejects.toEqual(
        httpError(404, { errors: { article: ['not found'] } }),
      );
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it('should answer 404, changing nothing, when the article is deleted before the edit locks it', async () => {
      articles.lockForEdit.mockResolvedValue(false);

      await expect(sut.update(jake, jakesArticle.slug, { title: 'x' })).rejects.toEqual(
        httpError(404, { errors: { article: ['not found'] } }),
      );
      expect(articles.lockForEdit).toHaveBeenCalledWith(tx, 10);
      expect(articles.update).not.toHaveBeenCalled();
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it("should answer 403 for someone else's article, changing nothing", async () => {
      await expect(sut.update(anna, jakesArticle.slug, { body: 'x' })).rejects.toEqual(
        httpError(403, { errors: { article: ['can only be changed by its author'] } }),
      );
      expect(db.transaction).not.toHaveBeenCalled();
      expect(cache.bump).not.toHaveBeenCalled();
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

    it('should bump the article and its slug, but no list page and not the tags when untouched', async () => {
      await sut.update(jake, jakesArticle.slug, { body: 'New body' });

      expect(articles.replaceTags).not.toHaveBeenCalled();
      expectBumped(depends.article(10), depends.slug(jakesArticle.slug));
    });

    it('should bump the old slug and the new one when the title changes it', async () => {
      articles.findByIdWithAuthor.mockResolvedValue(articleRow({ slug: 'dragons-tamed', title: 'Dragons, tamed' }));

      await sut.update(jake, jakesArticle.slug, { title: 'Dragons, tamed' });

      expectBumped(depends.article(10), depends.slug(jakesArticle.slug), depends.slug('dragons-tamed'));
    });

    it('should bump every list page and the tags too when the tag list is sent', async () => {
      articles.replaceTags.mockResolvedValue();

      await sut.update(jake, jakesArticle.slug, { tagList: [] });

      expectBumped(depends.article(10), depends.slug(jakesArticle.slug), depends.lists, depends.tags);
    });
  });

  describe('delete', () => {
    beforeEach(() => {
      articles.findRefBySlug.mockResolvedValue(jakesArticle);
    });

    it('should answer 404 for an unknown slug', async () => {
      articles.findRefBySlug.mockResolvedValue(null);

      await expect(sut.delete(jake, 'nope')).rejects.toEqual(httpError(404, { errors: { article: ['not found'] } }));
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it("should answer 403 for someone else's article, deleting nothing", async () => {
      await expect(sut.delete(anna, jakesArticle.slug)).rejects.toEqual(
        httpError(403, { errors: { article: ['can only be changed by its author'] } }),
      );
      expect(articles.delete).not.toHaveBeenCalled();
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it('should delete it, then bump the article, its slug (and so its comments), the tags and every list page', async () => {
      const order: string[] = [];
      articles.delete.mockImplementation(noting(order, 'delete', undefined));
      cache.bump.mockImplementation(noting(order, 'bump', undefined));

      await sut.delete(jake, jakesArticle.slug);

      expect(articles.delete).toHaveBeenCalledWith(10);
      expect(order).toEqual(['delete', 'bump']);
      expectBumped(depends.lists, depends.tags, depends.article(10), depends.slug(jakesArticle.slug));
    });
  });

  describe('favorite', () => {
    beforeEach(() => {
      favorites.favorite.mockResolvedValue({ row: articleRow(), changed: true });
      favorites.unfavorite.mockResolvedValue({ row: articleRow(), changed: true });
      cache.bump.mockResolvedValue();
      lists.warmItem.mockResolvedValue();
      articles.findBySlugWithAuthor.mockResolvedValue(articleRow());
      // As loaded after the bump: the favorite is in the set.
      overlay.setsOf.mockResolvedValue({ favorites: [10], followees: [jake.id] });
    });

    it.each([
      ['unknown slug', true],
      ['unknown slug', false],
    ])('should answer 404 for an %s (favorite: %s), bumping nothing', async (_case, favorite) => {
      favorites.favorite.mockResolvedValue('article-missing');
      favorites.unfavorite.mockResolvedValue('article-missing');

      await expect(sut.favorite(anna, 'nope', favorite)).rejects.toEqual(
        httpError(404, { errors: { article: ['not found'] } }),
      );
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it('should answer 401 "user no longer exists" when the statement finds the viewer gone, bumping nothing', async () => {
      favorites.favorite.mockResolvedValue('viewer-gone');
      tokens.viewerGone.mockReturnValue(userGone());

      await expect(sut.favorite(anna, jakesArticle.slug, true)).rejects.toEqual(
        httpError(401, { errors: { authorization: [USER_GONE] } }),
      );
      expect(tokens.viewerGone).toHaveBeenCalledWith(anna.id);
      expect(cache.bump).not.toHaveBeenCalled();
    });

    // Not `lists`: a favorite changes no page's membership but `?favorited=` ones, and each page's item
    // of this article is recomposed from `depends.article`.
    const FAVORITE_CHANGES = [
      depends.article(10),
      depends.slug(jakesArticle.slug),
      depends.favoritesOf(anna.id),
      depends.favoritedLists,
    ];

    it("should add the favorite, then bump the article, its slug, the viewer's favorites and ?favorited= pages", async () => {
      const { article } = await sut.favorite(anna, jakesArticle.slug, true);

      expect(favorites.favorite).toHaveBeenCalledWith(anna.id, jakesArticle.slug);
      expect(favorites.unfavorite).not.toHaveBeenCalled();
      expectBumped(...FAVORITE_CHANGES);
      expect(article).toMatchObject({ favorited: true, favoritesCount: 3, author: { following: true } });
    });

    it("should remove the favorite, then bump the article, its slug, the viewer's favorites and ?favorited= pages", async () => {
      overlay.setsOf.mockResolvedValue(NO_SETS);

      const { article } = await sut.favorite(anna, jakesArticle.slug, false);

      expect(favorites.unfavorite).toHaveBeenCalledWith(anna.id, jakesArticle.slug);
      expect(favorites.favorite).not.toHaveBeenCalled();
      expectBumped(...FAVORITE_CHANGES);
      expect(article.favorited).toBe(false);
    });

    it('should bump nothing when the statement changed nothing (a repeat)', async () => {
      favorites.favorite.mockResolvedValue({ row: articleRow(), changed: false });

      const { article } = await sut.favorite(anna, jakesArticle.slug, true);

      expect(cache.bump).not.toHaveBeenCalled();
      expect(article.favorited).toBe(true);
    });

    it("should bump, then load its item, its document and the viewer's sets again, before it answers", async () => {
      const order: string[] = [];
      favorites.favorite.mockImplementation(noting(order, 'favorite', { row: articleRow(), changed: true }));
      cache.bump.mockImplementation(noting(order, 'bump', undefined));
      lists.warmItem.mockImplementation(noting(order, 'warmItem', undefined));
      articles.findBySlugWithAuthor.mockImplementation(noting(order, 'document', articleRow()));
      overlay.setsOf.mockImplementation(noting(order, 'setsOf', NO_SETS));

      await sut.favorite(anna, jakesArticle.slug, true);

      // Loaded under the old versions, they would keep the count and the set from before this favorite.
      expect(order).toEqual(['favorite', 'bump', 'warmItem', 'document', 'setsOf']);
      expect(lists.warmItem).toHaveBeenCalledWith(10);
    });

    it('should answer the write even when loading it again fails', async () => {
      articles.findBySlugWithAuthor.mockResolvedValue(null);
      lists.warmItem.mockRejectedValue(new Error('database down'));

      await expect(sut.favorite(anna, jakesArticle.slug, true)).resolves.toMatchObject({
        article: { favorited: true },
      });
    });
  });
});
