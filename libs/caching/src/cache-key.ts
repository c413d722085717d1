/**
 * How cached values are named (DESIGN.md §6). A value has an identity (what it is) and depends on
 * named versions (what can change it); it is stored under its identity plus the current version of
 * each dependency. A write bumps the versions of what it changed, so every value built from the old
 * data sits under a key no reader asks for any more: nothing is ever deleted, and a value computed
 * from old data while a write commits can only land under an old key.
 */
export const KEY_PREFIX = 'pn:';

/**
 * A version every value depends on. It starts at the time it was first read, so versions never repeat
 * after Redis loses its data; it moves on with `CacheService.clear()` and after a write Redis missed.
 */
export const EPOCH = 'epoch';

export interface CacheKey {
  /** What the value is, whatever the versions: its stale copy (stale-if-error) is kept under it. */
  readonly id: string;
  /** The version names it was built under, `EPOCH` first. */
  readonly deps: readonly string[];
}

/** `id` is URI-encoded by the caller where it holds request text (`keyPart`). */
export function cacheKey(id: string, ...deps: string[]): CacheKey {
  return { id: KEY_PREFIX + id, deps: [EPOCH, ...deps] };
}

/** Where a value lives under the given versions of its dependencies. */
export function versionedKey(key: CacheKey, versions: readonly number[]): string {
  return `${key.id}@${versions.join('.')}`;
}

/** Where Redis keeps the newest copy of a value, past any version change, for stale-if-error. */
export function staleCopyKey(id: string): string {
  return `${KEY_PREFIX}stale:${id.slice(KEY_PREFIX.length)}`;
}

// Characters encodeURIComponent leaves as they are anyway: most values skip the (slower) encoding.
const NEEDS_NO_ENCODING = /^[\w.~-]*$/;

/**
 * A request value inside a key or version name: URI-encoded, so `:`, `&`, `=` and `@` never appear
 * raw and no input can forge another key's separators.
 */
export function keyPart(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return NEEDS_NO_ENCODING.test(value) ? value : encodeURIComponent(value);
}

/** The Redis hash holding every version (field: version name). */
export const VERSIONS_KEY = `${KEY_PREFIX}versions`;

/** The pub/sub channel on which every instance hears the versions the others bumped. */
export const INVALIDATION_CHANNEL = `${KEY_PREFIX}cache:invalidate`;
