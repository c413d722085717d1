export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const ANONYMOUS_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
// A personalised response (favorited, following) must never be kept by a shared cache.
export const PERSONALISED_CACHE_CONTROL = 'private, no-cache';

/** `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored. */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  return value.split(',').some((tag) => {
    const trimmed = tag.trim();
    return (trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed) === etag;
  });
}

export function withVary(current: string | number | string[] | undefined, field: string): string {
  const existing = (Array.isArray(current) ? current.join(', ') : String(current ?? '')).trim();
  if (existing === '') return field;
  const fields = existing.split(',').map((f) => f.trim().toLowerCase());
  return fields.includes('*') || fields.includes(field.toLowerCase()) ? existing : `${existing}, ${field}`;
}
