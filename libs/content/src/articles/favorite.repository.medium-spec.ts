import type { DatabaseService } from '@app/database';
import { repositoryModule } from '../../../../test-support/repository-module';
import { ContentFixtures } from '../../test/content-fixtures';
import { ArticleRepository } from './article.repository';
import { FavoriteRepository } from './favorite.repository';

describe(FavoriteRepository.name, () => {
  const repositories = repositoryModule(ArticleRepository, FavoriteRepository);
  let db: DatabaseService;
  let sut: FavoriteRepository;
  let given: ContentFixtures;

  beforeAll(() => {
    db = repositories.db;
    sut = repositories.get(FavoriteRepository);
    given = new ContentFixtures(db, repositories.get(ArticleRepository));
  });

  let jake: number;
  let anna: number;
  let bob: number;
  let id: number;
  beforeEach(async () => {
    await given.reset();
    jake = await given.user('jake');
    anna = await given.user('anna');
    bob = await given.user('bob');
    id = await given.article(jake, 'liked');
  });

  const count = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const favoritesCount = async () =>
    (await db.query<{ n: number }>('SELECT favorites_count AS n FROM articles WHERE id = $1', [id]))[0].n;

  it('should answer the article with the count it left, and whether this call changed it', async () => {
    await expect(sut.favorite(anna, 'liked')).resolves.toEqual({
      row: expect.objectContaining({ id, slug: 'liked', favoritesCount: 1, body: 'Body of liked' }) as unknown,
      changed: true,
    });
    await expect(sut.favorite(anna, 'liked')).resolves.toMatchObject({ row: { favoritesCount: 1 }, changed: false });
    await expect(sut.favorite(bob, 'liked')).resolves.toMatchObject({ row: { favoritesCount: 2 }, changed: true });
    await expect(sut.unfavorite(anna, 'liked')).resolves.toMatchObject({ row: { favoritesCount: 1 }, changed: true });
    await expect(sut.unfavorite(anna, 'liked')).resolves.toMatchObject({ row: { favoritesCount: 1 }, changed: false });
    await expect(favoritesCount()).resolves.toBe(1);
    await expect(count('favorites')).resolves.toBe(1);
  });

  it('should count each user once however often, and never below the favorites there are', async () => {
    await Promise.all([anna, anna, bob, bob, jake].map((user) => sut.favorite(user, 'liked')));
    await expect(favoritesCount()).resolves.toBe(3);
    await Promise.all([anna, anna, bob].map((user) => sut.unfavorite(user, 'liked')));
    await expect(favoritesCount()).resolves.toBe(1);
    await expect(sut.favoriteIds(jake)).resolves.toEqual([id]);
    await expect(sut.favoriteIds(anna)).resolves.toEqual([]);
  });

  it('should leave updatedAt alone: a favorite is not an edit of the article', async () => {
    await db.query("UPDATE articles SET updated_at = '2026-01-01T00:00:00Z' WHERE id = $1", [id]);
    await sut.favorite(anna, 'liked');
    const after = await sut.unfavorite(anna, 'liked');
    expect(after).toMatchObject({ row: { updatedAt: new Date('2026-01-01T00:00:00Z') } });
  });

  it("should answer 'article-missing' for an unknown slug, changing nothing", async () => {
    await expect(sut.favorite(anna, 'nope')).resolves.toBe('article-missing');
    await expect(sut.unfavorite(anna, 'nope')).resolves.toBe('article-missing');
    await expect(count('favorites')).resolves.toBe(0);
  });

  it("should answer 'viewer-gone' when the viewer's row is gone, changing nothing", async () => {
    await db.query('DELETE FROM users WHERE id = $1', [bob]);
    await expect(sut.favorite(bob, 'liked')).resolves.toBe('viewer-gone');
    await expect(sut.unfavorite(bob, 'liked')).resolves.toBe('viewer-gone');
    await expect(favoritesCount()).resolves.toBe(0);
  });
});
