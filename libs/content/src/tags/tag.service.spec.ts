import { CacheService, tagsKey } from '@app/caching';
import { strictMock } from '../../../../test-support/strict-mock';
import { ArticleRepository } from '../articles/article.repository';
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
      cache.getOrLoad.mockImplementation((_key, load) => load());
      articles.usedTags.mockResolvedValue(['dragons', 'training']);

      await expect(sut.list()).resolves.toEqual({ tags: ['dragons', 'training'] });
      expect(cache.getOrLoad).toHaveBeenCalledWith(tagsKey(), expect.any(Function));
    });

    it('should answer from the cache without asking the repository', async () => {
      cache.getOrLoad.mockResolvedValue(['cached']);

      await expect(sut.list()).resolves.toEqual({ tags: ['cached'] });
    });
  });
});
