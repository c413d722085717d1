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
    return this.cache.getOrLoadJson(tagsKey(), async () => ({ tags: await this.articles.usedTags() }));
  }
}
