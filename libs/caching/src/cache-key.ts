/**
 * How cached values are named (DESIGN.md §6). A value has an identity (what it is) and depends on
 * named versions (what can change it); it is stored under its identity plus the current version of
 * each. A write bumps the versions of what it changed, so a value built from old data, even while the
 * write commits, can only land under a key no reader asks for any more: nothing is ever deleted.
 */
const KEY_PREFIX = 'pn:';

/**
 * A version every value depends on. It starts at the time it was first read, so versions never repeat
 * after Redis loses its data; it moves on with `CacheService.clear()` and after a bump Redis missed.
 */
export const EPOCH = 'epoch';

/** The Redis hash holding every version (field: version name). */
export const VERSIONS_KEY = `${KEY_PREFIX}versions`;

/** The pub/sub channel on which every instance hears the versions the others bumped. */
export const INVALIDATION_CHANNEL = `${KEY_PREFIX}cache:invalidate`;

export interface CacheKey {
  /** What the value is, whatever the versions: its stale copy (stale-if-error) is kept under it. */
  readonly id: string;
  /** The version names it depends on, `EPOCH` first. */
  readonly deps: readonly string[];
}

/** Request text goes into `id` and `deps` through `keyPart` only. */
export function cacheKey(id: string, ...deps: string[]): CacheKey {
  return { id: KEY_PREFIX + id, deps: [EPOCH, ...deps] };
}

export function versionedKey(key: CacheKey, versions: readonly number[]): string {
  return `${key.id}@${versions.join('.')}`;
}

/** Where Redis keeps the newest copy of a value, past any version change, for stale-if-error. */
export function staleCopyKey(id: string): string {
  return `${KEY_PREFIX}stale:${id.slice(KEY_PREFIX.length)}`;
}

// Characters encodeURIComponent leaves as they are: most values skip the (slower) encoding.
const NEEDS_NO_ENCODING = /^[\w.~-]*$/;

/** A request value in a key or version name, URI-encoded: no input can forge `:`, `&`, `=` or `@`. */
export function keyPart(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return NEEDS_NO_ENCODING.test(value) ? value : encodeURIComponent(value);
}
