import type { DatabaseService } from '@app/database';
import { repositoryModule } from '../../../../test-support/repository-module';
import { ContentFixtures } from '../../test/content-fixtures';
import { ArticleRepository } from '../articles/article.repository';
import { CommentRepository } from './comment.repository';

describe(CommentRepository.name, () => {
  const repositories = repositoryModule(CommentRepository, ArticleRepository);
  let db: DatabaseService;
  let sut: CommentRepository;
  let given: ContentFixtures;

  beforeAll(() => {
    db = repositories.db;
    sut = repositories.get(CommentRepository);
    given = new ContentFixtures(db, repositories.get(ArticleRepository));
  });

  const anyDate: unknown = expect.any(Date);
  const anyId: unknown = expect.any(Number);

  let jake: number;
  let anna: number;
  let article: number;
  beforeEach(async () => {
    await given.reset();
    jake = await given.user('jake', { bio: 'I work at statefarm', image: 'https://example.com/jake.png' });
    anna = await given.user('anna');
    article = await given.article(jake, 'how-to-train-your-dragon');
  });

  /** An insert that must succeed (the article exists). */
  const add = async (articleId: number, authorId: number, body: string) => {
    const comment = await sut.insert(articleId, authorId, body);
    if (comment === null) throw new Error(`article ${articleId} is gone`);
    return comment;
  };

  const pinCreatedAt = (id: number, at: string) =>
    db.query('UPDATE comments SET created_at = $2 WHERE id = $1', [id, at]);

  describe('insert', () => {
    it('should return the new comment with its id, Date timestamps and its author', async () => {
      const comment = await add(article, jake, 'Thank you so much!');
      expect(comment).toEqual({
        id: anyId,
        body: 'Thank you so much!',
        createdAt: anyDate,
        updatedAt: anyDate,
        author: { id: jake, username: 'jake', bio: 'I work at statefarm', image: 'https://example.com/jake.png' },
      });
      await expect(sut.findByArticle(article)).resolves.toEqual([comment]);
    });

    it('should answer null when the article was deleted since it was looked up (a race with DELETE)', async () => {
      await db.query('DELETE FROM articles WHERE id = $1', [article]);
      await expect(sut.insert(article, anna, 'too late')).resolves.toBeNull();
    });
  });

  describe('findByArticle', () => {
    it("should list the article's comments oldest first, by id when timestamps are equal", async () => {
      const newest = await add(article, anna, 'newest');
      const oldest = await add(article, jake, 'oldest');
      const tieFirst = await add(article, anna, 'tie, lower id');
      const tieSecond = await add(article, anna, 'tie, higher id');
      await pinCreatedAt(newest.id, '2026-01-03T00:00:00.000Z');
      await pinCreatedAt(oldest.id, '2026-01-01T00:00:00.000Z');
      await pinCreatedAt(tieFirst.id, '2026-01-02T00:00:00.000Z');
      await pinCreatedAt(tieSecond.id, '2026-01-02T00:00:00.000Z');
      const comments = await sut.findByArticle(article);
      expect(comments.map((c) => c.body)).toEqual(['oldest', 'tie, lower id', 'tie, higher id', 'newest']);
      expect(comments[0]).toMatchObject({
        createdAt: new Date('2026-01-01T00:00:00.000Z'),
        author: { id: jake, username: 'jake' },
      });
    });

    it("should not list other articles' comments, and answer an empty list for none", async () => {
      const other = await given.article(anna, 'other');
      await add(other, jake, 'elsewhere');
      await expect(sut.findByArticle(article)).resolves.toEqual([]);
    });
  });

  describe('findAuthor', () => {
    it("should answer the comment's author id", async () => {
      const { id } = await add(article, anna, 'mine');
      await expect(sut.findAuthor(article, id)).resolves.toBe(anna);
    });

    it('should answer null for an unknown comment, or a comment of another article', async () => {
      const other = await given.article(anna, 'other');
      const { id } = await add(other, anna, 'elsewhere');
      await expect(sut.findAuthor(article, id)).resolves.toBeNull();
      await expect(sut.findAuthor(article, 999)).resolves.toBeNull();
    });
  });

  describe('delete', () => {
    it('should remove that comment only', async () => {
      const gone = await add(article, anna, 'gone');
      const kept = await add(article, anna, 'kept');
      await sut.delete(gone.id);
      await expect(sut.findByArticle(article)).resolves.toEqual([kept]);
    });
  });

  describe('articlesShowingUser', () => {
    it('should list, once each, the articles the user wrote and those they commented on', async () => {
      const annas = await given.article(anna, 'annas');
      await given.article(anna, 'untouched');
      await add(annas, jake, 'first');
      await add(annas, jake, 'second');
      await add(article, jake, 'on my own');
      const shown = await sut.articlesShowingUser(jake);
      expect(shown.map(({ slug, authored }) => `${slug}:${authored}`).sort()).toEqual([
        'annas:false',
        'how-to-train-your-dragon:false',
        'how-to-train-your-dragon:true',
      ]);
    });

    it('should answer an empty list for a user shown nowhere', async () => {
      await expect(sut.articlesShowingUser(anna)).resolves.toEqual([]);
    });
  });
});
