import { CacheService, tagsKey } from '@app/caching';
import { Injectable } from '@nestjs/common';
import { ArticleRepository } from '../articles/article.repository';
import type { TagsResponse } from '../dto/article-response.dto';

@Injectable()
export class TagService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly cache: CacheService,
  ) {}

  /** Tags in use, alphabetical. */
  async list(): Promise<TagsResponse> {
    return { tags: await this.cache.getOrLoad(tagsKey(), () => this.articles.usedTags()) };
  }
}
