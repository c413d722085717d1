import type { FastifyReply, FastifyRequest } from 'fastify';
import fresh from 'fresh';
import { createHash } from 'node:crypto';
import vary from 'vary';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function strongEtag(body: string | Buffer): string {
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
  const header = reply.getHeader('vary');
  const current = Array.isArray(header) ? header.join(', ') : String(header ?? '');
  void reply.header('vary', vary.append(current, 'Authorization'));
  // `If-None-Match` by the weak comparison (RFC 9110 §13.1.2); a reload (`no-cache`) gets the body.
  return fresh(request.headers, { etag });
}
