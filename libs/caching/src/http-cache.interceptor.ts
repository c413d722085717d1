import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { JSON_CONTENT_TYPE, setValidators, strongEtag } from './http-cache-headers';
import { PersonalizedBody } from './personalized-body';
import { ResponseCache } from './response.cache';

// Probes, scrapes, docs and monitoring answer live state: never validated from a cache.
const UNCACHED_PATHS = /^\/(?:health|metrics|docs|api\/monitoring)(?:[/?#-]|$)/;

/**
 * HTTP caching of successful JSON GETs (setValidators), and what cached routes built to the response
 * tier. It serializes bodies itself, so it must be the first (outermost) `APP_INTERCEPTOR`.
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  constructor(private readonly responses: ResponseCache) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if ((request.method !== 'GET' && request.method !== 'HEAD') || UNCACHED_PATHS.test(request.url))
      return next.handle();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(map((body: unknown) => this.withValidators(request, reply, body)));
  }

  private withValidators(request: FastifyRequest, reply: FastifyReply, body: unknown): unknown {
    if (reply.statusCode !== 200 || reply.sent) return body;
    const personalized = body instanceof PersonalizedBody ? body : undefined;
    const json =
      personalized?.json ?? (typeof body === 'string' ? body : isJsonBody(body) ? JSON.stringify(body) : undefined);
    if (json === undefined) return body;
    const etag = strongEtag(json);
    const staleSince = personalized?.staleSince;
    if (staleSince !== undefined) {
      // Stale-if-error said as RFC 9211 does (the origin answered 503), with the copy's age (RFC 9111 §5.1).
      void reply.header('cache-status', 'PrepNexus; fwd=stale; fwd-status=503; detail="database unavailable"');
      void reply.header('age', String(Math.max(0, Math.floor((Date.now() - staleSince) / 1000))));
    } else if (personalized !== undefined && !reply.hasHeader('cache-control')) {
      // Neither what a route chose Cache-Control for, nor a stale copy (it must not outlive the outage).
      this.responses.remember(request, etag, personalized);
    }
    // Nest sends a web Response with its own status (the route's 200 would win over reply.code()).
    if (setValidators(request, reply, etag)) return new Response(null, { status: 304 });
    if (typeof body !== 'string' || !reply.hasHeader('content-type'))
      void reply.header('content-type', JSON_CONTENT_TYPE);
    return json;
  }
}

/** Objects and arrays Fastify would JSON-serialize; not buffers, streams, files or web responses. */
function isJsonBody(body: unknown): body is object {
  if (typeof body !== 'object' || body === null || ArrayBuffer.isView(body) || body instanceof Response) return false;
  const { pipe, getStream } = body as { pipe?: unknown; getStream?: unknown };
  return typeof pipe !== 'function' && typeof getStream !== 'function' && !(Symbol.asyncIterator in body);
}
