import { CacheService, PersonalizedBody } from '@app/caching';
import { tagsKey } from '../cache-keys';
import { cacheDocument, renderFor } from '../cached-document';
import { Injectable } from '@nestjs/common';
import { ArticleRepository } from '../articles/article.repository';
import type { TagsResponse } from '../dto/article-response.dto';

@Injectable()
export class TagService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly cache: CacheService,
  ) {}

  /** Tags in use, alphabetical (a stale copy, marked, while the database is down). */
  async list(): Promise<PersonalizedBody<TagsResponse>> {
    const cached = await this.cache.fetch(tagsKey(), async () =>
      cacheDocument<TagsResponse>({ tags: await this.articles.usedTags() }),
    );
    return renderFor(cached, null);
  }
}
