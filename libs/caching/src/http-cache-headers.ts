import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function strongEtag(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * The headers of a cacheable 200: `ETag`; `Cache-Control` unless the route chose one (a browser or CDN
 * may keep anonymous responses, always revalidating, never personalised ones); `Vary: Authorization`
 * always, so no cache answers a signed-in request with an anonymous one. True when the answer is 304.
 */
export function setValidators(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  void reply.header('etag', etag);
  if (!reply.hasHeader('cache-control')) {
    const anonymous = request.headers.authorization === undefined;
    void reply.header('cache-control', anonymous ? 'public, max-age=0, must-revalidate' : 'private, no-cache');
  }
  void reply.header('vary', withVary(reply.getHeader('vary'), 'Authorization'));
  return matchesEtag(request.headers['if-none-match'], etag);
}

/** `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored. */
function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = [header]
    .flat()
    .join(',')
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes(etag) || tags.includes('*');
}

function withVary(current: string | number | string[] | undefined, field: string): string {
  const existing = (Array.isArray(current) ? current.join(', ') : String(current ?? '')).trim();
  if (existing === '') return field;
  const fields = existing.split(',').map((f) => f.trim().toLowerCase());
  return fields.includes('*') || fields.includes(field.toLowerCase()) ? existing : `${existing}, ${field}`;
}
