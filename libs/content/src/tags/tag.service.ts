import { CacheService, tagsKey } from '@app/caching';
import { Injectable } from '@nestjs/common';
import { ArticleRepository } from '../articles/article.repository';

@Injectable()
export class TagService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly cache: CacheService,
  ) {}

  /** Tags in use, alphabetical, as a ready JSON body. */
  list(): Promise<string> {
    return this.cache.getOrLoad(tagsKey(), async () => JSON.stringify({ tags: await this.articles.usedTags() }));
  }
}
