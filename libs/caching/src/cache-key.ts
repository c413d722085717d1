/**
 * How cached values are named (DESIGN.md §6): identity plus the current version of each thing they depend on. A
 * write bumps what it changed: a value built from older data, even mid-commit, lands under a key no one reads again.
 */
const KEY_PREFIX = 'pn:';

/** Every value depends on it. It starts at its first read's time: versions never repeat if Redis loses them. */
export const EPOCH = 'epoch';
export const VERSIONS_KEY = `${KEY_PREFIX}versions`; // a hash: version name → version
export const INVALIDATION_CHANNEL = `${KEY_PREFIX}cache:invalidate`;

export interface CacheKey {
  readonly id: string; // what the value is, whatever the versions (its stale copy is kept under it)
  readonly deps: readonly string[]; // the version names it depends on, `EPOCH` first
}

export function cacheKey(id: string, ...deps: string[]): CacheKey {
  return { id: KEY_PREFIX + id, deps: [EPOCH, ...deps] };
}

export function versionedKey(key: CacheKey, versions: readonly number[]): string {
  return `${key.id}@${versions.join('.')}`;
}

export function staleCopyKey(id: string): string {
  return `${KEY_PREFIX}stale:${id.slice(KEY_PREFIX.length)}`;
}

/** Request text in a key, URI-encoded when needed: no input can forge `:`, `&`, `=` or `@`. */
export function keyPart(value: string | number): string {
  return typeof value === 'number' || /^[\w.~-]*$/.test(value) ? String(value) : encodeURIComponent(value);
}
