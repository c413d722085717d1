import { CacheService } from '@app/caching';
import { strictMock } from '../../../../test-support/strict-mock';
import { ArticleRepository } from '../articles/article.repository';
import { tagsKey } from '../cache-keys';
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
    it('should load the tags in use under the tags key, with the versions it was built under', async () => {
      const stamp = { names: tagsKey().deps, versions: [1, 3] };
      cache.fetch.mockImplementation(async (_key, load) => ({ value: await load(), stamp }));
      articles.usedTags.mockResolvedValue(['dragons', 'training']);

      const body = await sut.list();

      expect(JSON.parse(body.json)).toEqual({ tags: ['dragons', 'training'] });
      expect(cache.fetch).toHaveBeenCalledWith(tagsKey(), expect.any(Function));
      expect(body.stamp).toBe(stamp);
    });

    it('should answer from the cache without asking the repository', async () => {
      cache.fetch.mockResolvedValue({ value: cacheDocument({ tags: ['cached'] }), staleSince: 1000 });

      const body = await sut.list();
      expect(JSON.parse(body.json)).toEqual({ tags: ['cached'] });
      expect(body.staleSince).toBe(1000);
    });
  });
});
