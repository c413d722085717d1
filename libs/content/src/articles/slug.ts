import { randomBytes } from 'node:crypto';

const MAX_SLUG_BASE = 200;

/** "How to Train Your Dragon!" → "how-to-train-your-dragon"; titles without latin letters give "article". */
export function slugify(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_SLUG_BASE)
    .replace(/-+$/, '');
  return base || 'article';
}

/** The same base made unique when a title repeats: "how-to-train-your-dragon-3f9a1c2e". */
export function uniqueSlug(base: string): string {
  return `${base}-${randomBytes(4).toString('hex')}`;
}

/** True for "base-3f9a1c2e": the slug `uniqueSlug(base)` could have produced. */
export function isSuffixedSlugOf(slug: string, base: string): boolean {
  return slug.length === base.length + 9 && slug.startsWith(`${base}-`) && /^[0-9a-f]{8}$/.test(slug.slice(-8));
}
