import { CacheService, tagsKey } from '@app/caching';
import { strictMock } from '../../../../test-support/strict-mock';
import { ArticleRepository } from '../articles/article.repository';
import { cacheDocument } from '../cached-document';
import { TagService } from './tag.service';

describe(TagService.name, () => {
  let sut: TagService;
  let articles: jest.Mocked<ArticleRepository>;
  let cache: jest.Mocked<CacheService>;

  beforeEach(() => {
    articles = strictMock(ArticleRepository);
    cache = strictMock(CacheService);
    sut = new TagService(articles, cache);
  });

  describe('list', () => {
    it('should load the tags in use under the tags key', async () => {
      cache.fetch.mockImplementation(async (_key, load) => ({ value: await load() }));
      articles.usedTags.mockResolvedValue(['dragons', 'training']);

      expect(JSON.parse((await sut.list()).json)).toEqual({ tags: ['dragons', 'training'] });
      expect(cache.fetch).toHaveBeenCalledWith(tagsKey(), expect.any(Function));
    });

    it('should answer from the cache without asking the repository', async () => {
      cache.fetch.mockResolvedValue({ value: cacheDocument({ tags: ['cached'] }), staleSince: 1000 });

      const body = await sut.list();
      expect(JSON.parse(body.json)).toEqual({ tags: ['cached'] });
      expect(body.staleSince).toBe(1000);
    });
  });
});
