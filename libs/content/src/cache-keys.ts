import { cacheKey, keyPart, type CacheKey } from '@app/caching';

/**
 * The versions content's cached documents depend on (DESIGN.md §6): a write bumps the ones it
 * changed (`CacheService.bump`), and only what was built from them is read again.
 */
export const depends = {
  /** Which articles every list page holds, and in what order: deletes, tag edits, renames (rare). */
  lists: 'lists',
  /**
   * The same per filter, so a create retires only the pages it can join: the unfiltered ones, its
   * author's and its tags'. Every page depends on `lists` too, and on one of these per filter it has.
   */
  unfilteredLists: 'lists:all',
  authorLists: (username: string) => `lists:author:${keyPart(username)}`,
  taggedLists: (tag: string) => `lists:tag:${keyPart(tag)}`,
  /** `?favorited=` pages, which every favorite changes (the token's username may be stale: not per user). */
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
  const { tag, author, favorited } = filters;
  const deps: string[] = [depends.lists];
  if (tag !== undefined) deps.push(depends.taggedLists(tag));
  if (author !== undefined) deps.push(depends.authorLists(author));
  if (favorited !== undefined) deps.push(depends.favoritedLists);
  if (deps.length === 1) deps.push(depends.unfilteredLists);
  return cacheKey(`d3:page:${params}`, ...deps);
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
