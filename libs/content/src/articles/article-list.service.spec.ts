import { CacheService, type Cached, type CacheKey, type PersonalizedBody, type Stamp } from '@app/caching';
import type { AuthUser } from '@app/users';
import { strictMock } from '../../../../test-support/strict-mock';
import { listItemKey, listPageKey } from '../cache-keys';
import { cacheDocument } from '../cached-document';
import type { MultipleArticlesResponse } from '../dto/article-response.dto';
import { TEMPLATE_FLAGS } from '../viewer-flags';
import { ViewerOverlayService } from '../viewer-overlay.service';
import { ArticleListService } from './article-list.service';
import { toArticleListItem, type ArticleListRow } from './article.mapper';
import { ArticleRepository } from './article.repository';

const jake = { id: 1, username: 'jake', bio: null, image: null };
const anna: AuthUser = { id: 2, username: 'anna', token: 'anna-token' };
const QUERY = { limit: 20, offset: 0 };

function listRow(id: number): ArticleListRow {
  return {
    id,
    slug: `article-${id}`,
    title: `Article ${id}`,
    description: 'Ever wonder how?',
    tagList: ['dragons'],
    createdAt: new Date('2026-02-18T03:22:56.637Z'),
    updatedAt: new Date('2026-02-18T03:48:35.824Z'),
    favoritesCount: id,
    author: jake,
  };
}

/** The versions a key was built under in these tests: 1 for the epoch, `version` for the rest. */
function stampOf(key: CacheKey, version: number): Stamp {
  return { names: key.deps, versions: key.deps.map((_name, i) => (i === 0 ? 1 : version)) };
}

function parsed(body: PersonalizedBody<MultipleArticlesResponse>): MultipleArticlesResponse {
  return JSON.parse(body.json) as MultipleArticlesResponse;
}

describe(ArticleListService.name, () => {
  let sut: ArticleListService;
  let articles: jest.Mocked<ArticleRepository>;
  let cache: jest.Mocked<CacheService>;
  let overlay: jest.Mocked<ViewerOverlayService>;
  /** What the cache already holds, by key id; every other key is loaded (and stamped with version 2). */
  let held: Map<string, Cached<unknown>>;

  beforeEach(() => {
    articles = strictMock(ArticleRepository);
    cache = strictMock(CacheService);
    overlay = strictMock(ViewerOverlayService);
    sut = new ArticleListService(articles, cache, overlay);
    held = new Map();
    cache.fetch.mockImplementation(
      async (key, load) => held.get(key.id) ?? { value: await load(), stamp: stampOf(key, 2) },
    );
    articles.findPageIds.mockResolvedValue({ count: 3, ids: [12, 10, 11] });
    // Rows come back in any order (`= ANY($1)`): the page's order must not depend on it.
    articles.findListRows.mockImplementation((ids) =>
      Promise.resolve([...ids].sort((a, b) => a - b).map((id) => listRow(id))),
    );
  });

  /** An item as the cache holds it, as if another page had loaded it already. */
  function holdItem(id: number, origin: Omit<Cached<unknown>, 'value'>): void {
    held.set(listItemKey(id).id, { value: cacheDocument(toArticleListItem(listRow(id), TEMPLATE_FLAGS)), ...origin });
  }

  it("should cache the page's ids under the page's key, and each article under its item key", async () => {
    await sut.list({ ...QUERY, tag: 'dragons' }, null);

    expect(cache.fetch.mock.calls.map(([key]) => key)).toEqual([
      listPageKey({ tag: 'dragons', limit: 20, offset: 0 }),
      listItemKey(12),
      listItemKey(10),
      listItemKey(11),
    ]);
    expect(articles.findPageIds).toHaveBeenCalledWith(
      { tag: 'dragons', author: undefined, favorited: undefined },
      20,
      0,
    );
    // DataLoader: the three misses of one page are one query, not three.
    expect(articles.findListRows.mock.calls).toEqual([[[12, 10, 11]]]);
  });

  it('should compose the page from its items in page order, for an anonymous reader with every boolean false', async () => {
    const page = parsed(await sut.list(QUERY, null));

    expect(page.articlesCount).toBe(3);
    expect(page.articles.map((article) => article.slug)).toEqual(['article-12', 'article-10', 'article-11']);
    expect(page.articles[0]).toEqual({
      slug: 'article-12',
      title: 'Article 12',
      description: 'Ever wonder how?',
      tagList: ['dragons'],
      createdAt: '2026-02-18T03:22:56.637Z',
      updatedAt: '2026-02-18T03:48:35.824Z',
      favorited: false,
      favoritesCount: 12,
      author: { username: 'jake', bio: null, image: null, following: false },
    });
  });

  it("should take favorited and following from the viewer's own sets, and keep them as slots", async () => {
    overlay.setsOf.mockResolvedValue({ favorites: [10], followees: [jake.id] });

    const body = await sut.list(QUERY, anna);
    const page = parsed(body);

    expect(overlay.setsOf).toHaveBeenCalledWith(anna);
    expect(page.articles.map((article) => article.favorited)).toEqual([false, true, false]);
    expect(page.articles.every((article) => article.author.following)).toBe(true);
    expect(body.template.slots).toEqual(
      [12, 10, 11].flatMap((id) => [
        { set: 'favorites', id },
        { set: 'followees', id: jake.id },
      ]),
    );
  });

  it('should read every item missing from the cache in one query, and none that it holds', async () => {
    holdItem(10, { stamp: stampOf(listItemKey(10), 5) });

    const page = parsed(await sut.list(QUERY, null));

    expect(articles.findListRows).toHaveBeenCalledTimes(1);
    expect(articles.findListRows).toHaveBeenCalledWith([12, 11]);
    expect(page.articles.map((article) => article.slug)).toEqual(['article-12', 'article-10', 'article-11']);
  });

  it('should leave out an article deleted since the page was cached', async () => {
    articles.findListRows.mockResolvedValue([listRow(10), listRow(12)]);

    const body = await sut.list(QUERY, null);

    expect(parsed(body).articles.map((article) => article.slug)).toEqual(['article-12', 'article-10']);
    expect(body.template.slots.map((slot) => slot.id)).not.toContain(11);
  });

  it("should stamp the page with the page's versions and its items'", async () => {
    holdItem(10, { stamp: stampOf(listItemKey(10), 5) });

    const body = await sut.list(QUERY, null);

    const parts = [listPageKey({ ...QUERY }), listItemKey(12), listItemKey(10), listItemKey(11)];
    expect(body.stamp).toEqual({
      names: parts.flatMap((key) => key.deps),
      // Epoch 1 everywhere; the page's own versions 2, the items' 2 but item 10's, held at 5.
      versions: [1, 2, 2, 1, 2, 1, 5, 1, 2],
    });
    expect(body.staleSince).toBeUndefined();
  });

  it('should be stale, since its oldest part, when any part is a stale copy, and then have no stamp', async () => {
    held.set(listPageKey({ ...QUERY }).id, { value: { count: 3, ids: [12, 10, 11] }, staleSince: 3000 });
    holdItem(10, { staleSince: 2000 });
    holdItem(11, { stamp: stampOf(listItemKey(11), 5) });

    const body = await sut.list(QUERY, null);

    expect(articles.findPageIds).not.toHaveBeenCalled();
    expect(body.staleSince).toBe(2000);
    expect(body.stamp).toBeUndefined();
    expect(parsed(body).articles).toHaveLength(3);
  });

  it('should be stale when only one item is', async () => {
    holdItem(11, { staleSince: 2000 });

    const body = await sut.list(QUERY, null);

    expect(body.staleSince).toBe(2000);
    expect(body.stamp).toBeUndefined();
  });

  it('should answer an empty page as valid JSON', async () => {
    articles.findPageIds.mockResolvedValue({ count: 0, ids: [] });

    const body = await sut.list({ ...QUERY, offset: 40 }, null);

    expect(parsed(body)).toEqual({ articles: [], articlesCount: 0 });
    expect(articles.findListRows).not.toHaveBeenCalled();
  });
});
