import { CacheService, PersonalizedBody, type Cached } from '@app/caching';
import { DatabaseService } from '@app/database';
import { TokenService, type AuthUser } from '@app/users';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cacheDocument, renderFor, type CachedDocument } from '../cached-document';
import { articleKey, depends } from '../cache-keys';
import type { NewArticleDto, PageQueryDto, UpdateArticleFieldsDto } from '../dto/article-request.dto';
import type { MultipleArticlesResponse, SingleArticleResponse } from '../dto/article-response.dto';
import { flagsOf, TEMPLATE_FLAGS } from '../viewer-flags';
import { ViewerOverlayService } from '../viewer-overlay.service';
import { toArticle, toArticleListItem, type ArticleRow } from './article.mapper';
import { ArticleRepository, type ArticleRef } from './article.repository';
import { ArticleListService } from './article-list.service';
import { FavoriteRepository } from './favorite.repository';
import { isSuffixedSlugOf, slugify, uniqueSlug } from './slug';

const SLUG_ATTEMPTS = 5;

/** Normalised tags: trimmed, unique, sorted (RealWorld clients expect `tagList` in alphabetical order). */
function normaliseTags(tags: string[] | undefined): string[] | undefined {
  if (tags === undefined) return undefined;
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort();
}

function articleNotFound(): NotFoundException {
  return new NotFoundException({ errors: { article: ['not found'] } });
}

/**
 * Articles, the feed and favorites (the list is ArticleListService). Reads that every viewer shares are
 * cached as documents rendered once from their types, with `favorited`/`following` overlaid per viewer
 * (cached-document.ts); each write bumps the versions of what it changed (cache-keys.ts).
 */
@Injectable()
export class ArticleService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly db: DatabaseService,
    private readonly cache: CacheService,
    private readonly overlay: ViewerOverlayService,
    private readonly favorites: FavoriteRepository,
    private readonly tokens: TokenService,
    private readonly lists: ArticleListService,
  ) {}

  /** Per viewer by nature, so read from PostgreSQL each time (one indexed query) and not cached. */
  async feed(query: PageQueryDto, viewer: AuthUser): Promise<MultipleArticlesResponse> {
    const [page, sets] = await Promise.all([
      this.articles.findPage({ followedBy: viewer.id }, query.limit, query.offset),
      this.overlay.setsOf(viewer),
    ]);
    const flags = flagsOf(sets);
    return { articles: page.rows.map((row) => toArticleListItem(row, flags)), articlesCount: page.count };
  }

  async get(slug: string, viewer: AuthUser | null): Promise<PersonalizedBody<SingleArticleResponse>> {
    const cached = await this.document(slug);
    return renderFor(cached, viewer ? await this.overlay.setsOf(viewer) : null, () => this.get(slug, null));
  }

  private document(slug: string): Promise<Cached<CachedDocument<SingleArticleResponse>>> {
    return this.cache.fetch(articleKey(slug), async () => {
      const row = await this.articles.findBySlugWithAuthor(slug);
      if (!row) throw articleNotFound();
      return cacheDocument({ article: toArticle(row, TEMPLATE_FLAGS) });
    });
  }

  async create(author: AuthUser, input: NewArticleDto): Promise<SingleArticleResponse> {
    const tags = normaliseTags(input.tagList) ?? [];
    const row = await this.insertWithUniqueSlug(author, slugify(input.title), input, tags);
    // The pages it can join (the author's name as stored: a token's may predate a rename); `tags`
    // only moves when the article brings some.
    const { unfilteredLists, authorLists, taggedLists } = depends;
    const changed = [unfilteredLists, authorLists(row.author.username), ...tags.map(taggedLists)];
    await this.cache.bump(...changed, ...(tags.length > 0 ? [depends.tags] : []));
    return this.single(row, author);
  }

  async update(viewer: AuthUser, slug: string, input: UpdateArticleFieldsDto): Promise<SingleArticleResponse> {
    const ref = await this.ownArticle(viewer, slug);
    const tags = normaliseTags(input.tagList);
    const row = await this.db.transaction(async (sql, tx) => {
      if (!(await this.articles.lockForEdit(tx, ref.id))) throw articleNotFound();
      await this.updateWithUniqueSlug(tx, ref, input);
      if (tags !== undefined) await this.articles.replaceTags(tx, ref.id, tags);
      return this.articles.findByIdWithAuthor(sql, ref.id);
    });
    // Its item, its old slug (article and comments) and its new one (a slug once used by another article).
    const changed = [depends.article(ref.id), depends.slug(ref.slug), depends.slug(row.slug)];
    if (tags !== undefined) changed.push(depends.lists, depends.tags);
    await this.cache.bump(...changed);
    return this.single(row, viewer);
  }

  async delete(viewer: AuthUser, slug: string): Promise<void> {
    const ref = await this.ownArticle(viewer, slug);
    await this.articles.delete(ref.id);
    await this.cache.bump(depends.lists, depends.tags, depends.article(ref.id), depends.slug(ref.slug));
  }

  async favorite(viewer: AuthUser, slug: string, favorite: boolean): Promise<SingleArticleResponse> {
    const result = favorite
      ? await this.favorites.favorite(viewer.id, slug)
      : await this.favorites.unfavorite(viewer.id, slug);
    if (result === 'viewer-gone') throw this.tokens.viewerGone(viewer.id);
    if (result === 'article-missing') throw articleNotFound();
    const { row, changed } = result;
    if (changed) {
      // The article's count, the viewer's set and `?favorited=` pages; other pages keep their ids.
      const { article, slug: slugOf, favoritesOf, favoritedLists } = depends;
      await this.cache.bump(article(row.id), slugOf(row.slug), favoritesOf(viewer.id), favoritedLists);
      // Loaded again now, so readers find them in L1: the response tier recomposes the pages holding the
      // article without the full path. Read after the bump, what lands under the new versions includes
      // this write. The write is done: a load that fails only leaves a part cold.
      await Promise.allSettled([this.lists.warmItem(row.id), this.document(row.slug)]);
    }
    // The viewer's sets, loaded again after the bump (so the response tier answers them at once too).
    return this.single(row, viewer);
  }

  private async single(row: ArticleRow, viewer: AuthUser): Promise<SingleArticleResponse> {
    return { article: toArticle(row, flagsOf(await this.overlay.setsOf(viewer))) };
  }

  private async existing(slug: string): Promise<ArticleRef> {
    const ref = await this.articles.findRefBySlug(slug);
    if (!ref) throw articleNotFound();
    return ref;
  }

  private async ownArticle(viewer: AuthUser, slug: string): Promise<ArticleRef> {
    const ref = await this.existing(slug);
    if (ref.authorId !== viewer.id) {
      throw new ForbiddenException({ errors: { article: ['can only be changed by its author'] } });
    }
    return ref;
  }

  private async insertWithUniqueSlug(author: AuthUser, base: string, input: NewArticleDto, tags: string[]) {
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      const result = await this.articles.insert(author.id, attempt === 0 ? base : uniqueSlug(base), input, tags);
      if (result === 'viewer-gone') throw this.tokens.viewerGone(author.id);
      if (result !== 'slug-taken') return result;
    }
    throw new Error(`no free slug for "${base}" after ${SLUG_ATTEMPTS} attempts`);
  }

  private async updateWithUniqueSlug(tx: EntityManager, ref: ArticleRef, input: UpdateArticleFieldsDto) {
    const base = input.title === undefined ? null : slugify(input.title);
    // An unchanged title keeps its slug, suffixed or not, so links to the article keep working.
    const keep = base === null || ref.slug === base || isSuffixedSlugOf(ref.slug, base);
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      const slug = keep || base === null ? ref.slug : attempt === 0 ? base : uniqueSlug(base);
      if (await this.articles.update(tx, ref.id, slug, input)) return;
    }
    throw new Error(`no free slug for article ${ref.id} after ${SLUG_ATTEMPTS} attempts`);
  }
}
