import { cacheKey, keyPart, type CacheKey } from '@app/caching';

/**
 * The versions content's cached documents depend on (DESIGN.md §6): a write bumps the ones it
 * changed (`CacheService.bump`), and only what was built from them is read again.
 */
export const depends = {
  /** Which articles each list page holds, and in what order: creates, deletes, tag and author changes. */
  lists: 'lists',
  /** The same for `?favorited=` pages, which every favorite also changes. */
  favoritedLists: 'lists:favorited',
  tags: 'tags',
  /** One article as list pages show it (content, favorites count, author). */
  article: (id: number) => `a:${id}`,
  /** What a slug shows: the article under it. */
  slug: (slug: string) => `s:${keyPart(slug)}`,
  comments: (slug: string) => `c:${keyPart(slug)}`,
  /** The ids a user has favorited (their own overlay set). */
  favoritesOf: (userId: number) => `fav:${userId}`,
} as const;

/** Filters of `GET /api/articles`: the effective values the query runs with. */
export interface ArticleListFilters {
  tag?: string;
  author?: string;
  favorited?: string;
  limit: number;
  offset: number;
}

// Fixed order, so the same filters give the same key whatever order the caller built them in.
const LIST_FILTERS = ['author', 'favorited', 'limit', 'offset', 'tag'] as const;

/** One list page: its article ids in order, and the count. */
export function listPageKey(filters: ArticleListFilters): CacheKey {
  // Built on every list request: plain concatenation. Absent filters are left out; '' is kept.
  let params = '';
  for (const name of LIST_FILTERS) {
    const value = filters[name];
    if (value !== undefined) params += `${params === '' ? '' : '&'}${name}=${keyPart(value)}`;
  }
  return filters.favorited === undefined
    ? cacheKey(`d3:page:${params}`, depends.lists)
    : cacheKey(`d3:page:${params}`, depends.lists, depends.favoritedLists);
}

/** One article as list pages show it (no body), the same document on every page it appears on. */
export function listItemKey(articleId: number): CacheKey {
  return cacheKey(`d3:item:${articleId}`, depends.article(articleId));
}

export function articleKey(slug: string): CacheKey {
  return cacheKey(`d3:article:${keyPart(slug)}`, depends.slug(slug));
}

export function commentsKey(slug: string): CacheKey {
  return cacheKey(`d3:comments:${keyPart(slug)}`, depends.slug(slug), depends.comments(slug));
}

export function tagsKey(): CacheKey {
  return cacheKey('d3:tags', depends.tags);
}

export function favoritesKey(userId: number): CacheKey {
  return cacheKey(`user:${userId}:favorites`, depends.favoritesOf(userId));
}
