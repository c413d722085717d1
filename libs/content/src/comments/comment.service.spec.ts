import { CacheService, type PersonalizedBody } from '@app/caching';
import type { AuthUser } from '@app/users';
import { httpError } from '../../../../test-support/http-error';
import { strictMock } from '../../../../test-support/strict-mock';
import { ArticleRepository } from '../articles/article.repository';
import { commentsKey, depends } from '../cache-keys';
import type { MultipleCommentsResponse } from '../dto/article-response.dto';
import { ViewerOverlayService } from '../viewer-overlay.service';
import type { CommentRow } from './comment.mapper';
import { CommentRepository } from './comment.repository';
import { CommentService } from './comment.service';

const jake: AuthUser = { id: 1, username: 'jake', token: 'jake-token' };
const anna: AuthUser = { id: 2, username: 'anna', token: 'anna-token' };
const SLUG = 'how-to-train-your-dragon';
const ARTICLE = { id: 10, slug: SLUG, authorId: jake.id };
const NOT_FOUND = httpError(404, { errors: { article: ['not found'] } });

const comment: CommentRow = {
  id: 5,
  body: 'It takes a Jacobian',
  createdAt: new Date('2026-02-18T03:22:56.637Z'),
  updatedAt: new Date('2026-02-18T03:22:56.637Z'),
  author: { id: jake.id, username: 'jake', bio: 'I work at statefarm', image: null },
};

/** A mock implementation that notes `name` in `order` when called, then resolves with `value`. */
function noting<T>(order: string[], name: string, value: T): () => Promise<T> {
  return () => {
    order.push(name);
    return Promise.resolve(value);
  };
}

function parsed(body: PersonalizedBody<MultipleCommentsResponse>): MultipleCommentsResponse {
  return JSON.parse(body.json) as MultipleCommentsResponse;
}

describe(CommentService.name, () => {
  let sut: CommentService;
  let comments: jest.Mocked<CommentRepository>;
  let articles: jest.Mocked<ArticleRepository>;
  let cache: jest.Mocked<CacheService>;
  let overlay: jest.Mocked<ViewerOverlayService>;

  beforeEach(() => {
    comments = strictMock(CommentRepository);
    articles = strictMock(ArticleRepository);
    cache = strictMock(CacheService);
    overlay = strictMock(ViewerOverlayService);
    sut = new CommentService(comments, articles, cache, overlay);
    cache.fetch.mockImplementation(async (_key, load) => ({ value: await load() }));
    articles.findRefBySlug.mockResolvedValue(ARTICLE);
  });

  describe('list', () => {
    it('should answer 404 with the article envelope for an unknown article', async () => {
      articles.findRefBySlug.mockResolvedValue(null);

      await expect(sut.list('nope', null)).rejects.toEqual(NOT_FOUND);
    });

    it("should cache the article's comments under its comments key and answer anonymous readers", async () => {
      comments.findByArticle.mockResolvedValue([comment]);

      const body = parsed(await sut.list(SLUG, null));

      expect(cache.fetch).toHaveBeenCalledWith(commentsKey(SLUG), expect.any(Function));
      expect(comments.findByArticle).toHaveBeenCalledWith(ARTICLE.id);
      expect(body).toEqual({
        comments: [
          {
            id: 5,
            createdAt: '2026-02-18T03:22:56.637Z',
            updatedAt: '2026-02-18T03:22:56.637Z',
            body: 'It takes a Jacobian',
            author: { username: 'jake', bio: 'I work at statefarm', image: null, following: false },
          },
        ],
      });
    });

    it("should take following from the viewer's followees", async () => {
      comments.findByArticle.mockResolvedValue([comment]);
      overlay.setsOf.mockResolvedValue({ favorites: [], followees: [jake.id] });

      const body = parsed(await sut.list(SLUG, anna));

      expect(overlay.setsOf).toHaveBeenCalledWith(anna);
      expect(body.comments[0].author.following).toBe(true);
    });

    it('should keep following as a slot and pass on where the document came from', async () => {
      comments.findByArticle.mockResolvedValue([comment]);
      cache.fetch.mockImplementation(async (_key, load) => ({ value: await load(), staleSince: 1000 }));

      const body = await sut.list(SLUG, null);

      expect(body.template.slots).toEqual([{ set: 'followees', id: jake.id }]);
      expect(body.staleSince).toBe(1000);
      expect(body.stamp).toBeUndefined();
    });
  });

  describe('add', () => {
    it('should answer 404 for an unknown article, storing nothing', async () => {
      articles.findRefBySlug.mockResolvedValue(null);

      await expect(sut.add(anna, 'nope', 'Hi')).rejects.toEqual(NOT_FOUND);
      expect(comments.insert).not.toHaveBeenCalled();
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it('should answer 404 when the article is deleted between the lookup and the insert', async () => {
      comments.insert.mockResolvedValue(null);

      await expect(sut.add(anna, SLUG, 'Hi')).rejects.toEqual(NOT_FOUND);
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it("should store the comment, bump only the article's comments and answer with the viewer's following", async () => {
      const order: string[] = [];
      comments.insert.mockImplementation(noting(order, 'insert', comment));
      cache.bump.mockImplementation(noting(order, 'bump', undefined));
      overlay.setsOf.mockResolvedValue({ favorites: [], followees: [jake.id] });

      const { comment: added } = await sut.add(anna, SLUG, 'It takes a Jacobian');

      expect(comments.insert).toHaveBeenCalledWith(ARTICLE.id, anna.id, 'It takes a Jacobian');
      expect(cache.bump.mock.calls).toEqual([[depends.comments(SLUG)]]);
      expect(order).toEqual(['insert', 'bump']);
      expect(added).toEqual({
        id: 5,
        createdAt: '2026-02-18T03:22:56.637Z',
        updatedAt: '2026-02-18T03:22:56.637Z',
        body: 'It takes a Jacobian',
        author: { username: 'jake', bio: 'I work at statefarm', image: null, following: true },
      });
    });
  });

  describe('delete', () => {
    it('should answer 404 for an unknown article', async () => {
      articles.findRefBySlug.mockResolvedValue(null);

      await expect(sut.delete(jake, 'nope', 5)).rejects.toEqual(NOT_FOUND);
    });

    it('should answer 404 with the comment envelope for a comment not on this article', async () => {
      comments.findAuthor.mockResolvedValue(null);

      await expect(sut.delete(jake, SLUG, 99)).rejects.toEqual(httpError(404, { errors: { comment: ['not found'] } }));
      expect(comments.findAuthor).toHaveBeenCalledWith(ARTICLE.id, 99);
    });

    it("should answer 403 for someone else's comment, deleting nothing", async () => {
      comments.findAuthor.mockResolvedValue(jake.id);

      await expect(sut.delete(anna, SLUG, 5)).rejects.toEqual(
        httpError(403, { errors: { comment: ['can only be deleted by its author'] } }),
      );
      expect(comments.delete).not.toHaveBeenCalled();
      expect(cache.bump).not.toHaveBeenCalled();
    });

    it("should delete the author's comment, then bump only the article's comments", async () => {
      const order: string[] = [];
      comments.findAuthor.mockResolvedValue(jake.id);
      comments.delete.mockImplementation(noting(order, 'delete', undefined));
      cache.bump.mockImplementation(noting(order, 'bump', undefined));

      await sut.delete(jake, SLUG, 5);

      expect(comments.delete).toHaveBeenCalledWith(5);
      expect(cache.bump.mock.calls).toEqual([[depends.comments(SLUG)]]);
      expect(order).toEqual(['delete', 'bump']);
    });
  });
});
