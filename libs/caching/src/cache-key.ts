/**
 * How cached values are named (DESIGN.md §6): a value has an identity and depends on named versions,
 * and is stored under its identity plus the current version of each. A write bumps the versions of
 * what it changed, so a value built from older data, even while the write commits, lands under a key
 * no reader asks for any more: nothing is ever deleted.
 */
const KEY_PREFIX = 'pn:';

/** Every value depends on it. It starts at its first read's time: versions never repeat after Redis loses them. */
export const EPOCH = 'epoch';
/** The Redis hash of every version (field: version name). */
export const VERSIONS_KEY = `${KEY_PREFIX}versions`;
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

export function staleCopyKey(id: string): string {
  return `${KEY_PREFIX}stale:${id.slice(KEY_PREFIX.length)}`;
}

/** Request text in a key, URI-encoded (when it needs to be): no input can forge `:`, `&`, `=` or `@`. */
export function keyPart(value: string | number): string {
  return typeof value === 'number' || /^[\w.~-]*$/.test(value) ? String(value) : encodeURIComponent(value);
}
