import { CacheService, PersonalizedBody, type Cached } from '@app/caching';
import type { AuthUser } from '@app/users';
import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { cacheDocument, composeDocument, renderFor, type CachedDocument } from '../cached-document';
import { listItemKey, listPageKey } from '../cache-keys';
import type { ListArticlesQueryDto } from '../dto/article-request.dto';
import type { ArticleListItemView, MultipleArticlesResponse } from '../dto/article-response.dto';
import { TEMPLATE_FLAGS } from '../viewer-flags';
import { ViewerOverlayService } from '../viewer-overlay.service';
import { toArticleListItem } from './article.mapper';
import { ArticleRepository, type ArticleIdPage } from './article.repository';

type ListItem = CachedDocument<ArticleListItemView> | null;

/** The page's document from its ids and items; an article deleted since the page was cached is left out. */
function compose(
  page: Cached<ArticleIdPage>,
  items: Cached<ListItem>[],
): Cached<CachedDocument<MultipleArticlesResponse>> {
  const found = items.filter((item): item is Cached<CachedDocument<ArticleListItemView>> => item.value !== null);
  return composeDocument<MultipleArticlesResponse>(
    { articles: [], articlesCount: page.value.count },
    'articles',
    found,
    page,
  );
}

/**
 * `GET /api/articles`, composed the Russian-doll way: a cached page is its article ids in order, and
 * each article is a cached item of its own, shared by every page it is on. A favorite bumps one
 * article's version, so the pages holding it are recomposed from their other items, still cached;
 * only creates (the pages they can join), deletes and tag or author changes make pages query their ids again.
 */
@Injectable()
export class ArticleListService {
  /** Items missing from the cache in the same tick are read in one query. */
  private readonly items = new DataLoader<number, ListItem>((ids) => this.loadItems(ids), { cache: false });

  constructor(
    private readonly articles: ArticleRepository,
    private readonly cache: CacheService,
    private readonly overlay: ViewerOverlayService,
  ) {}

  async list(
    query: ListArticlesQueryDto,
    viewer: AuthUser | null,
  ): Promise<PersonalizedBody<MultipleArticlesResponse>> {
    const { tag, author, favorited, limit, offset } = query;
    const page = await this.cache.fetch(listPageKey({ tag, author, favorited, limit, offset }), () =>
      this.articles.findPageIds({ tag, author, favorited }, limit, offset),
    );
    const items = await Promise.all(
      page.value.ids.map((id) => this.cache.fetch(listItemKey(id), () => this.items.load(id))),
    );
    const sets = viewer ? await this.overlay.setsOf(viewer) : null;
    return renderFor(compose(page, items), sets, () => this.list(query, null));
  }

  /** Loads the article's list item into the cache under the current versions (after a write to it). */
  async warmItem(id: number): Promise<void> {
    await this.cache.fetch(listItemKey(id), () => this.items.load(id));
  }

  private async loadItems(ids: readonly number[]): Promise<ListItem[]> {
    const rows = new Map((await this.articles.findListRows(ids)).map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = rows.get(id);
      return row === undefined ? null : cacheDocument(toArticleListItem(row, TEMPLATE_FLAGS));
    });
  }
}
