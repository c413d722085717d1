import {
  articleKey,
  articleListIdentity,
  articleListKey,
  ARTICLES_NAMESPACE,
  CacheService,
  commentsKey,
  PersonalizedBody,
  tagsKey,
} from '@app/caching';
import { DatabaseService } from '@app/database';
import type { AuthUser } from '@app/users';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cacheDocument, renderFor, type CachedDocument } from '../cached-document';
import type {
  ListArticlesQueryDto,
  NewArticleDto,
  PageQueryDto,
  UpdateArticleFieldsDto,
} from '../dto/article-request.dto';
import type { MultipleArticlesResponse, SingleArticleResponse } from '../dto/article-response.dto';
import { flagsOf, TEMPLATE_FLAGS } from '../viewer-flags';
import { ViewerOverlayService } from '../viewer-overlay.service';
import { toArticle, toArticleListItem, type ArticleRow } from './article.mapper';
import { ArticleRepository, type ArticleRef } from './article.repository';
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
 * Articles, the feed and favorites. Reads that every viewer shares are cached as documents rendered
 * once from their types, with `favorited`/`following` overlaid per viewer (cached-document.ts).
 */
@Injectable()
export class ArticleService {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly db: DatabaseService,
    private readonly cache: CacheService,
    private readonly overlay: ViewerOverlayService,
  ) {}

  async list(
    query: ListArticlesQueryDto,
    viewer: AuthUser | null,
  ): Promise<PersonalizedBody<MultipleArticlesResponse>> {
    const { tag, author, favorited, limit, offset } = query;
    const version = await this.cache.namespaceVersion(ARTICLES_NAMESPACE);
    const filters = { tag, author, favorited, limit, offset };
    const page = await this.cache.fetch<CachedDocument<MultipleArticlesResponse>>(
      articleListKey(version, filters),
      async () => {
        const { count, rows } = await this.articles.findPage({ tag, author, favorited }, limit, offset);
        return cacheDocument({
          articles: rows.map((row) => toArticleListItem(row, TEMPLATE_FLAGS)),
          articlesCount: count,
        });
      },
      { staleAs: articleListIdentity(filters) },
    );
    return renderFor(page, viewer ? await this.overlay.setsOf(viewer) : null);
  }

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
    const cached = await this.cache.fetch<CachedDocument<SingleArticleResponse>>(articleKey(slug), async () => {
      const row = await this.articles.findBySlugWithAuthor(slug);
      if (!row) throw new NotFoundException({ errors: { article: ['not found'] } });
      return cacheDocument({ article: toArticle(row, TEMPLATE_FLAGS) });
    });
    return renderFor(cached, viewer ? await this.overlay.setsOf(viewer) : null);
  }

  async create(author: AuthUser, input: NewArticleDto): Promise<SingleArticleResponse> {
    const tags = normaliseTags(input.tagList) ?? [];
    const base = slugify(input.title);
    const row = await this.db.transaction(async (sql, tx) => {
      const id = await this.insertWithUniqueSlug(tx, author.id, base, input);
      await this.articles.replaceTags(tx, id, tags);
      return this.articles.findByIdWithAuthor(sql, id);
    });
    await this.cache.bumpNamespace(ARTICLES_NAMESPACE);
    if (tags.length > 0) await this.cache.invalidate(tagsKey());
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
    await this.forgetArticle(ref.slug, tags !== undefined);
    return this.single(row, viewer);
  }

  async delete(viewer: AuthUser, slug: string): Promise<void> {
    const ref = await this.ownArticle(viewer, slug);
    await this.articles.delete(ref.id);
    await this.forgetArticle(ref.slug, true);
  }

  async favorite(viewer: AuthUser, slug: string, favorite: boolean): Promise<SingleArticleResponse> {
    const ref = await this.existing(slug);
    // The article may be deleted at any point after `existing`: that is a 404, as if it came first.
    if (favorite && !(await this.articles.favorite(viewer.id, ref.id))) throw articleNotFound();
    if (!favorite) await this.articles.unfavorite(viewer.id, ref.id);
    await Promise.all([this.overlay.forgetFavorites(viewer.id), this.forgetArticle(ref.slug, false)]);
    const row = await this.articles.findById(this.db, ref.id);
    if (row === null) throw articleNotFound();
    return this.single(row, viewer);
  }

  /** Everything a change to one article can make stale: its page, its comments' key, every list. */
  async forgetArticle(slug: string, tagsChanged: boolean): Promise<void> {
    const keys = [articleKey(slug), commentsKey(slug)];
    if (tagsChanged) keys.push(tagsKey());
    await Promise.all([this.cache.invalidate(...keys), this.cache.bumpNamespace(ARTICLES_NAMESPACE)]);
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

  private async insertWithUniqueSlug(tx: EntityManager, authorId: number, base: string, input: NewArticleDto) {
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      const id = await this.articles.insert(tx, authorId, attempt === 0 ? base : uniqueSlug(base), input);
      if (id !== null) return id;
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
