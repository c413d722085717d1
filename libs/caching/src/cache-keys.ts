/**
 * Every cache key and Redis name the application uses, built in one place (DESIGN.md §6).
 *
 * Keys are `pn:`-prefixed so they never collide with other users of the same Redis, and every value
 * that comes from a request is URI-encoded: `:`, `&` and `=` cannot appear raw in a value, so no input
 * can forge another key's separators.
 */
export const KEY_PREFIX = 'pn:';

/**
 * The namespace of every article list page (each filter, limit and offset): a family of keys no write
 * can enumerate, so writes bump its version (`CacheService.bumpNamespace`) instead.
 */
export const ARTICLES_NAMESPACE = 'articles';

/** Filters of `GET /api/articles`: pass the effective values the query runs with. */
export interface ArticleListFilters {
  tag?: string | null;
  author?: string | null;
  favorited?: string | null;
  limit?: number | null;
  offset?: number | null;
}

// Fixed order, so the same filters give the same key whatever order the caller built them in.
const LIST_FILTERS = ['author', 'favorited', 'limit', 'offset', 'tag'] as const;

// Characters encodeURIComponent leaves as they are anyway: most values skip the (slower) encoding.
const NEEDS_NO_ENCODING = /^[\w.~-]*$/;

function encode(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return NEEDS_NO_ENCODING.test(value) ? value : encodeURIComponent(value);
}

/**
 * Cached documents (articles, list pages, comments, tags) carry their format: it changes when what is
 * stored under them does, so two releases sharing one Redis during a rollout never read each other's.
 */
const DOCUMENT = `${KEY_PREFIX}d2:`;

export function articleKey(slug: string): string {
  return `${DOCUMENT}article:${encode(slug)}`;
}

/**
 * The filters of a list page as key text. Absent filters (`undefined`/`null`) are left out; an empty
 * string is kept, as it is a different query from no filter at all.
 */
function listParams(filters: ArticleListFilters): string {
  // Built on every list request, before the cache is even asked: plain concatenation, no arrays.
  let params = '';
  for (const name of LIST_FILTERS) {
    const value = filters[name];
    if (value === undefined || value === null) continue;
    params += `${params === '' ? '' : '&'}${name}=${encode(value)}`;
  }
  return params;
}

/** One page of the article list, under the list version it was read at. */
export function articleListKey(version: number, filters: ArticleListFilters): string {
  return `${DOCUMENT}articles:v${encode(version)}:${listParams(filters)}`;
}

/** What a list page is, whatever the list version: where its newest copy is found (stale-if-error). */
export function articleListIdentity(filters: ArticleListFilters): string {
  return `${DOCUMENT}articles:${listParams(filters)}`;
}

/** Where Redis keeps the newest copy of a value, past invalidation, for stale-if-error. */
export function staleCopyKey(identity: string): string {
  return `${KEY_PREFIX}stale:${identity.slice(KEY_PREFIX.length)}`;
}

export function commentsKey(slug: string): string {
  return `${DOCUMENT}comments:${encode(slug)}`;
}

export function tagsKey(): string {
  return `${DOCUMENT}tags`;
}

export function profileKey(username: string): string {
  return `${KEY_PREFIX}profile:${encode(username)}`;
}

/** The ids of the articles a user has favorited (the per-viewer overlay). */
export function userFavoritesKey(userId: string | number): string {
  return `${KEY_PREFIX}user:${encode(userId)}:favorites`;
}

/** The ids of the users a user follows (the per-viewer overlay). */
export function userFollowingKey(userId: string | number): string {
  return `${KEY_PREFIX}user:${encode(userId)}:following`;
}

/** Where a namespace's current version lives in Redis. */
export function namespaceVersionKey(namespace: string): string {
  return `${KEY_PREFIX}nsv:${encode(namespace)}`;
}

/** The pub/sub channel that tells every instance which L1 entries and namespace versions to drop. */
export const INVALIDATION_CHANNEL = `${KEY_PREFIX}cache:invalidate`;
